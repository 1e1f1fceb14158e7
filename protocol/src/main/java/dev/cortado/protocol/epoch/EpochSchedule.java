package dev.cortado.protocol.epoch;

/**
 * How a chain's heights fall into epochs, and which block fixes each next table.
 *
 * <p>Epoch {@code e} holds heights {@code [e·E, (e+1)·E − 1]} (genesis, height 0, is in epoch 0). The
 * table of epoch {@code e + 1} is StakeTable.sol's state at the {@code l1Head} of the block at
 * {@link #snapshotHeight(long) lastHeight(e) − snapshotLeadBlocks}: a decided block, so every replica
 * reads the same L1 block, and {@code snapshotLeadBlocks} blocks early, so every replica has the table
 * before it has to sign the handover in the epoch's last block.
 *
 * @param epochBlocks E, the blocks per epoch (at least 2)
 * @param snapshotLeadBlocks how many blocks before the epoch's last block the next table is fixed
 *        (1 .. E − 1)
 */
public record EpochSchedule(long epochBlocks, long snapshotLeadBlocks) {
    /** Keeps every epoch's heights representable as a {@code long}. */
    public static final long MAX_EPOCH_BLOCKS = 1L << 40;

    public EpochSchedule {
        if (epochBlocks < 2 || epochBlocks > MAX_EPOCH_BLOCKS) {
            throw new IllegalArgumentException("epoch_blocks must be in 2.." + MAX_EPOCH_BLOCKS + ", got " + epochBlocks);
        }
        if (snapshotLeadBlocks < 1 || snapshotLeadBlocks >= epochBlocks) {
            throw new IllegalArgumentException("snapshot lead must be in 1.." + (epochBlocks - 1) + " blocks, got "
                    + snapshotLeadBlocks);
        }
    }

    /** The largest epoch number whose heights fit in a {@code long}. */
    public long maxEpoch() {
        return Long.MAX_VALUE / epochBlocks - 1;
    }

    public long epochOf(long height) {
        if (height < 0) throw new IllegalArgumentException("height must not be negative, got " + height);
        return height / epochBlocks;
    }

    public long firstHeight(long epoch) {
        checkEpoch(epoch);
        return epoch * epochBlocks;
    }

    /** The block whose light-client state hands epoch {@code epoch} over to {@code epoch + 1}. */
    public long lastHeight(long epoch) {
        checkEpoch(epoch);
        return (epoch + 1) * epochBlocks - 1;
    }

    public boolean isLastOfEpoch(long height) {
        return height >= 0 && height % epochBlocks == epochBlocks - 1;
    }

    /** The block whose {@code l1Head} fixes the table of {@code epoch} (at least 1; epoch 0 has the genesis table). */
    public long snapshotHeight(long epoch) {
        if (epoch < 1) throw new IllegalArgumentException("epoch 0 has the genesis table; no snapshot, got " + epoch);
        return lastHeight(epoch - 1) - snapshotLeadBlocks;
    }

    private void checkEpoch(long epoch) {
        if (epoch < 0 || epoch > maxEpoch()) {
            throw new IllegalArgumentException("epoch must be in 0.." + maxEpoch() + ", got " + epoch);
        }
    }
}
