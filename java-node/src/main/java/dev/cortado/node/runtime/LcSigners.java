package dev.cortado.node.runtime;

import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochRules;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Who signs the light-client state of each height: the protocol table of the height's epoch, and where each
 * peer of the fixed universe (the {@code [[peers]]} list, indexed as the network authenticates them) sits in it.
 * Known epochs are cached (the newest {@link #KEPT}); an epoch the source does not know yet is asked again next
 * time. Thread-safe: the event thread collects signatures, API workers read the table of a certified height.
 */
final class LcSigners {
    /** More than the epochs a window of collected heights can span with any useful epoch length. */
    static final int KEPT = 8;

    /** One epoch's table, and {@code positions[peer]}: the peer's index in it, or -1 if it holds no stake there. */
    record Epoch(long epoch, StakeTable table, int[] positions) {
        OptionalInt position(int peer) {
            return peer < 0 || peer >= positions.length || positions[peer] < 0 ? OptionalInt.empty()
                    : OptionalInt.of(positions[peer]);
        }
    }

    private final EpochStakeTables tables;
    private final List<BlsPublicKey> universe;
    private final TreeMap<Long, Epoch> kept = new TreeMap<>();

    LcSigners(EpochStakeTables tables, List<BlsPublicKey> universe) {
        this.tables = tables;
        this.universe = List.copyOf(universe);
    }

    EpochStakeTables tables() {
        return tables;
    }

    int universeSize() {
        return universe.size();
    }

    synchronized Optional<Epoch> of(long epoch) {
        Epoch e = kept.get(epoch);
        if (e != null) {
            return Optional.of(e);
        }
        Optional<StakeTable> table = tables.table(epoch);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        int[] positions = new int[universe.size()];
        Arrays.fill(positions, -1);
        for (int peer = 0; peer < positions.length; peer++) {
            OptionalInt at = table.get().indexOf(universe.get(peer));
            if (at.isPresent()) {
                positions[peer] = at.getAsInt();
            }
        }
        e = new Epoch(epoch, table.get(), positions);
        kept.put(epoch, e);
        if (kept.size() > KEPT) {
            // The oldest goes, even when it is the one just read (an API read of an old epoch): it is still answered.
            kept.remove(kept.firstKey());
        }
        return Optional.of(e);
    }

    /** The signers of {@code height}'s state: its epoch's table, even for the handover (the outgoing table signs it). */
    Optional<Epoch> ofHeight(long height) {
        return of(tables.epochOf(height));
    }

    /**
     * The commitment the state of {@code height} carries ({@link EpochRules#stateCommitment}); empty while a table
     * it needs is unknown: the handover's next table is never guessed.
     */
    Optional<Bytes32> stateCommitment(long height) {
        Optional<Epoch> own = ofHeight(height);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        if (!tables.isHandover(height)) {
            return Optional.of(own.get().table().commitment());
        }
        return of(own.get().epoch() + 1).map(next -> EpochRules.stateCommitment(tables.schedule().orElseThrow(), height,
                own.get().table(), next.table()));
    }
}
