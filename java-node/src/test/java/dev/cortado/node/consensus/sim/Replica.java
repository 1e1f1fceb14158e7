package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.protocol.types.View;

/**
 * One participant of a simulation: an honest replica (or one whose honest core's output is rewritten, the
 * older fault kinds) driven by {@link SimNode}, an {@link Adversary} driven by {@link ByzantineReplica}, or a
 * two-faced {@link SplitBrainReplica}.
 */
sealed interface Replica permits SimNode, ByzantineReplica, SplitBrainReplica {
    int index();

    /** What this replica is, for diagnostics. */
    String label();

    /** Honest replicas are the ones the checker and the liveness goal look at (crashing ones included). */
    boolean isHonest();

    /** Only crashing honest replicas go down; adversaries stay up. */
    default boolean isUp() {
        return true;
    }

    /** How many times this replica restarted; adversaries never do. */
    default int incarnation() {
        return 0;
    }

    default View currentView() {
        return core().currentView();
    }

    /** The core to print in diagnostics (an adversary's observer core). */
    ConsensusCore core();

    void start();

    void deliver(int from, Payload payload);

    /** A periodic poke (every 150 ms of virtual time) for replicas that flood or release on their own. */
    default void tick() {
    }

    /** The network healed (GST). */
    default void healed() {
    }
}
