package dev.cortado.settlement.port;

import dev.cortado.protocol.types.Address;

/** A StakeTable.sol event that changes the active table; nodes rebuild the table from these in log order. */
public sealed interface StakeTableEvent {
    long blockNumber();

    int logIndex();

    /** {@code ValidatorRegistered}: appended at the end of the table. */
    record Registered(long blockNumber, int logIndex, Address account, long validatorId, byte[] blsKey, long stakeGwei,
                      boolean isDa) implements StakeTableEvent {
        public Registered {
            blsKey = blsKey.clone();
        }

        @Override
        public byte[] blsKey() {
            return blsKey.clone();
        }
    }

    /** {@code ValidatorExited}: removed from the table at once. */
    record Exited(long blockNumber, int logIndex, Address account, long validatorId) implements StakeTableEvent {
    }
}
