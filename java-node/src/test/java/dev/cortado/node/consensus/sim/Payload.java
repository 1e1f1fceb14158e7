package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Input;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;

/**
 * Something the simulated network carries between replicas. A type of its own, not nested in {@link Simulation},
 * because it is the vocabulary every replica, adversary, delay scheduler and the trace hash share, while the
 * event loop only moves it.
 */
sealed interface Payload {
    record ToCore(Input input) implements Payload {
    }

    record LeafRequest(Bytes32 commitment) implements Payload {
    }

    /** The receiver's own share of the block, from its proposer (withheld by a DA-withholding leader). */
    record Data(View view, Bytes32 blockCommitment) implements Payload {
    }

    /**
     * The block's DA certificate, after the committee's round trip (the DA delay). An honest replica's
     * pipeline tells its core {@link Input.DataAvailable} once this and its share are both there.
     */
    record DaCert(View view, Bytes32 blockCommitment, Bytes32 signature) implements Payload {
    }

    /** Between split brains: which face sent it, so it reaches the same face. */
    record Sided(boolean sideB, Payload inner) implements Payload {
    }
}
