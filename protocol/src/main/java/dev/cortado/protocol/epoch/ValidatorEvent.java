package dev.cortado.protocol.epoch;

import java.util.Arrays;

/**
 * A StakeTable.sol event that changes the active table, as the L1 follower read it. Events are ordered by
 * {@code (l1Block, logIndex)}, the order in which L1 applied them.
 */
public sealed interface ValidatorEvent {
    long l1Block();

    int logIndex();

    long validatorId();

    /** {@code ValidatorRegistered}: the validator joins at the end of the table. */
    record Joined(long l1Block, int logIndex, long validatorId, byte[] keyEip2537, long stakeGwei, boolean isDa)
            implements ValidatorEvent {
        public Joined {
            keyEip2537 = keyEip2537.clone();
        }

        @Override
        public byte[] keyEip2537() {
            return keyEip2537.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Joined j && j.l1Block == l1Block && j.logIndex == logIndex && j.validatorId == validatorId
                    && Arrays.equals(j.keyEip2537, keyEip2537) && j.stakeGwei == stakeGwei && j.isDa == isDa;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(l1Block) * 31 + logIndex * 17 + Long.hashCode(validatorId);
        }

        @Override
        public String toString() {
            return "Joined(block " + l1Block + ", log " + logIndex + ", id " + validatorId + ", " + stakeGwei + " gwei"
                    + (isDa ? ", da" : "") + ")";
        }
    }

    /** {@code ValidatorExited}: the validator leaves the table at once. */
    record Left(long l1Block, int logIndex, long validatorId) implements ValidatorEvent {
    }
}
