package dev.cortado.protocol.epoch;

import dev.cortado.protocol.stake.StakeTable;

/** What StakeTable.sol held at one L1 block, as a stake table the network can use or the reason it cannot. */
public sealed interface TableSnapshot {
    long l1Block();

    /** The active validators in table order. */
    record Table(long l1Block, StakeTable table) implements TableSnapshot {
    }

    /** Nobody was registered: the network keeps its current table rather than halt. */
    record NoValidators(long l1Block) implements TableSnapshot {
    }

    /** The entries cannot form a table (a key that is not a G2 point, stake that overflows); the current table stays. */
    record Unusable(long l1Block, String reason) implements TableSnapshot {
    }

    /** The ledger has not followed L1 that far yet: wait, do not decide. */
    record NotYetSeen(long l1Block, long followedBlock) implements TableSnapshot {
    }

    /** The ledger dropped the history before this block. */
    record Pruned(long l1Block, long oldestBlock) implements TableSnapshot {
    }
}
