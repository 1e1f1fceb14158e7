package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;

/** The crypto a simulation runs on: one shared verifier and one private signer per replica. */
public interface KeySetup {
    /** Builds the keys of a simulation whose stake table has {@code stakesGwei} (one entry per replica). */
    @FunctionalInterface
    interface Factory {
        KeySetup create(long[] stakesGwei, long seed);
    }

    ConsensusCrypto crypto();

    ConsensusSigner signerFor(int index);

    /** The fast MAC scheme (see {@link SimCrypto}). */
    static KeySetup simulated(long[] stakesGwei, long seed) {
        SimCrypto crypto = new SimCrypto(stakesGwei.length, seed);
        return new KeySetup() {
            @Override
            public ConsensusCrypto crypto() {
                return crypto;
            }

            @Override
            public ConsensusSigner signerFor(int index) {
                return crypto.signerFor(index);
            }
        };
    }
}
