package dev.cortado.lightclient.api;

import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v0/epoch/{epoch}}: the epoch's heights, its stake table in table order, and the handover
 * that proves it: the light-client answer of the previous epoch's last block, whose state names this
 * table and which the previous table signed ({@code null} for epoch 0, whose table is the genesis one
 * every client is configured with).
 */
public record EpochAnswer(long epoch, long firstHeight, long lastHeight, String stakeTableComm, List<EntryJson> table,
        LightClientAnswer handover) {

    /** One table entry: the 96-byte compressed G2 key, stake in gwei, DA membership. */
    public record EntryJson(String publicKey, long stakeGwei, boolean isDa) {
    }

    public static EpochAnswer of(long epoch, EpochSchedule schedule, StakeTable table, LightClientAnswer handover) {
        List<EntryJson> entries = table.entries().stream()
                .map(e -> new EntryJson(e.key().toHex(), e.stakeGwei(), e.daMember())).toList();
        return new EpochAnswer(epoch, schedule.firstHeight(epoch), schedule.lastHeight(epoch), table.commitment().toHex(),
                entries, handover);
    }

    /** The table as sent; the caller checks it against the handover. Bounded by the table's own limit. */
    public StakeTable toTable() {
        List<EntryJson> list = Json.required(table, "table");
        if (list.size() > StakeTable.MAX_ENTRIES) {
            throw new IllegalArgumentException("table has " + list.size() + " entries, at most " + StakeTable.MAX_ENTRIES);
        }
        List<StakeEntry> entries = new ArrayList<>(list.size());
        for (EntryJson e : list) {
            Json.required(e, "table[]");
            BlsPublicKey key = BlsPublicKey.fromBytes(Json.bytes(e.publicKey(), "table[].publicKey"));
            entries.add(new StakeEntry(key, e.stakeGwei(), e.isDa()));
        }
        return StakeTable.of(entries);
    }
}
