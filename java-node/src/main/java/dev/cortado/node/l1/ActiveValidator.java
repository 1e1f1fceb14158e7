package dev.cortado.node.l1;

import dev.cortado.protocol.types.Address;

/**
 * A validator in StakeTable.sol's active table, as rebuilt from its events.
 *
 * @param registeredBlock with {@code registeredLogIndex}, where it registered: the table's order
 */
public record ActiveValidator(long validatorId, Address account, byte[] blsKey, long stakeGwei, boolean isDa,
                              long registeredBlock, int registeredLogIndex) {
    public ActiveValidator {
        blsKey = blsKey.clone();
    }

    @Override
    public byte[] blsKey() {
        return blsKey.clone();
    }
}
