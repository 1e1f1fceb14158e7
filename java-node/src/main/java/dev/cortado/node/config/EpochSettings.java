package dev.cortado.node.config;

import dev.cortado.protocol.epoch.EpochSchedule;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@code [epochs]} table of node.toml: the network changes its stake table every {@code blocks} blocks,
 * reading StakeTable.sol at the {@code l1Head} of the decided block {@code snapshot_lead_blocks} before each
 * epoch's last block. Every replica must use the same values; they are part of the chain's rules.
 *
 * <p>The lead is at least 3 because HotStuff-2 decides a block two leaves deep (a QC on its child, which
 * replicas learn from the grandchild's proposal). With a lead of 2 the snapshot block would be decided, at
 * the earliest, by the certificate the handover's own proposal carries, and with 1 only by the handover's
 * certificate: the handover's leader and voters would wait for a snapshot block that only the handover
 * could decide. A lead of 3 leaves one block of slack; a longer one gives more room for slow views.
 */
public record EpochSettings(long blocks, long snapshotLeadBlocks) {
    public static final long MIN_BLOCKS = 4;
    public static final long MIN_SNAPSHOT_LEAD_BLOCKS = 3;
    static final java.util.List<String> FIELDS = java.util.List.of("blocks", "snapshot_lead_blocks");

    public EpochSettings {
        if (blocks < MIN_BLOCKS || blocks > EpochSchedule.MAX_EPOCH_BLOCKS || snapshotLeadBlocks < MIN_SNAPSHOT_LEAD_BLOCKS
                || snapshotLeadBlocks >= blocks) {
            throw new IllegalArgumentException("epochs need " + MIN_BLOCKS + ".." + EpochSchedule.MAX_EPOCH_BLOCKS
                    + " blocks and a snapshot lead of " + MIN_SNAPSHOT_LEAD_BLOCKS + "..blocks − 1, got " + blocks
                    + " blocks and a lead of " + snapshotLeadBlocks);
        }
    }

    public EpochSchedule schedule() {
        return new EpochSchedule(blocks, snapshotLeadBlocks);
    }

    /** Reads {@code [epochs]}; every problem goes to {@code r}, and then nothing is returned. */
    static Optional<EpochSettings> parse(ConfigFields r, JsonNode t, boolean hasL1) {
        int before = r.problems().size();
        r.unknownKeys(t, "epochs.", FIELDS);
        if (!hasL1) {
            r.problem("epochs", "requires an [l1] table: each epoch's stake table is read from StakeTable.sol");
        }
        long blocks = r.integer(t, "epochs.", "blocks", null, 1, EpochSchedule.MAX_EPOCH_BLOCKS);
        long lead = r.integer(t, "epochs.", "snapshot_lead_blocks", null, 1, EpochSchedule.MAX_EPOCH_BLOCKS);
        if (r.problems().size() == before && blocks < MIN_BLOCKS) {
            r.problem("epochs.blocks", "must be at least " + MIN_BLOCKS + " (the snapshot lead of at least "
                    + MIN_SNAPSHOT_LEAD_BLOCKS + " blocks must fit before the epoch's last block), got " + blocks);
        }
        if (r.problems().size() == before && lead < MIN_SNAPSHOT_LEAD_BLOCKS) {
            r.problem("epochs.snapshot_lead_blocks", "must be at least " + MIN_SNAPSHOT_LEAD_BLOCKS + ", got " + lead
                    + ": HotStuff-2 decides a block two leaves deep, so with a smaller lead the snapshot block could be"
                    + " decided only by the handover block, whose leader needs the next table to propose it");
        }
        if (r.problems().size() == before && lead >= blocks) {
            r.problem("epochs.snapshot_lead_blocks", "must be below epochs.blocks (" + blocks + "), got " + lead
                    + ": the snapshot block must lie inside the epoch it hands over from");
        }
        return r.problems().size() == before ? Optional.of(new EpochSettings(blocks, lead)) : Optional.empty();
    }
}
