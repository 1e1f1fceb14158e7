package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.l1.StakeSnapshots;
import dev.cortado.protocol.epoch.EpochSchedule;
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
}
