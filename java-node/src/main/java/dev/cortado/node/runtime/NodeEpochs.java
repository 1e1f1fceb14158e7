package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.L1EpochTables;
import dev.cortado.node.l1.StakeSnapshots;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeTable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node learns each epoch's stake table (issue 14). The node resolves this once its store is open, because
 * the L1 source reads the decided chain's l1Heads from it: one source then feeds both the consensus core (weights
 * over the universe) and the light-client certificates (the protocol table, in L1 order).
 */
public sealed interface NodeEpochs {
    /** One table for the life of the network. */
    record None() implements NodeEpochs {
    }

    /**
     * Given tables, for tests: {@code consensus} for the core and, when present, {@code lightClient} for the
     * certificates and {@code GET /v0/epoch/{e}} (absent: the genesis table certifies every height).
     */
    record Fixed(Epochs consensus, Optional<EpochStakeTables> lightClient) implements NodeEpochs {
        public Fixed {
            Objects.requireNonNull(consensus, "consensus");
            Objects.requireNonNull(lightClient, "lightClient");
        }
    }

    /** StakeTable.sol's state at each epoch's snapshot block, as {@code snapshots} (the node's L1 follower) saw it. */
    record FromL1(EpochSchedule schedule, StakeSnapshots snapshots) implements NodeEpochs {
        public FromL1 {
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(snapshots, "snapshots");
        }
    }

    NodeEpochs NONE = new None();

    /** What the node runs: the core's epochs and the certificates' tables, and whether tables arrive from L1. */
    record Resolved(Epochs consensus, EpochStakeTables lightClient, boolean fromL1) {
    }

    /**
     * @param genesis the protocol table of epoch 0 (the staked peers, in peer order)
     * @param universe every configured peer's key in index order, staked or not
     */
    static Resolved resolve(NodeEpochs epochs, StakeTable genesis, List<BlsPublicKey> universe, NodeStore store) {
        return switch (epochs) {
            case None n -> new Resolved(Epochs.NONE, EpochStakeTables.single(genesis), false);
            case Fixed f -> new Resolved(f.consensus(), f.lightClient().orElse(EpochStakeTables.single(genesis)), false);
            case FromL1 l1 -> {
                L1EpochTables tables = new L1EpochTables(l1.schedule(), genesis, universe, DecidedL1Heads.of(store),
                        l1.snapshots(), L1EpochTables.DEFAULT_RETAIN_EPOCHS);
                yield new Resolved(Epochs.of(l1.schedule(), tables),
                        EpochStakeTables.of(l1.schedule(), genesis, tables::protocolTable), true);
            }
        };
    }
}
