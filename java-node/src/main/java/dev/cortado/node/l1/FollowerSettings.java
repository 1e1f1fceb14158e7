package dev.cortado.node.l1;

/**
 * How the node follows L1.
 *
 * @param confirmations the follower reads only blocks at least this deep below the latest (0 = the latest;
 *                      ignored with {@code useFinalizedTag})
 * @param useFinalizedTag read up to the L1's {@code finalized} block instead of counting confirmations
 * @param startBlock the first L1 block to follow on a fresh start (the marketplace's deployment block), so
 *                   every replica builds the same history
 * @param windowsAhead besides the window an L1 block is in, the follower tracks this many later windows
 *                     (HotShot headers run ahead of their {@code l1Head} by the confirmation lag)
 * @param retainWindows windows older than the current one by more than this are dropped
 * @param maxBlocksPerPoll bounds one poll's work (and its RPC calls) while catching up
 */
public record FollowerSettings(int confirmations, boolean useFinalizedTag, long startBlock, int windowsAhead,
                               int retainWindows, int maxBlocksPerPoll) {
    public FollowerSettings {
        if (confirmations < 0 || confirmations > 1_000) {
            throw new IllegalArgumentException("confirmations must be 0..1000, got " + confirmations);
        }
        if (startBlock < 0) throw new IllegalArgumentException("startBlock must be >= 0, got " + startBlock);
        if (windowsAhead < 0 || windowsAhead > 16) throw new IllegalArgumentException("windowsAhead must be 0..16, got " + windowsAhead);
        if (retainWindows < 1 || retainWindows > 64) throw new IllegalArgumentException("retainWindows must be 1..64, got " + retainWindows);
        if (maxBlocksPerPoll < 1 || maxBlocksPerPoll > 1_000) {
            throw new IllegalArgumentException("maxBlocksPerPoll must be 1..1000, got " + maxBlocksPerPoll);
        }
    }

    public static FollowerSettings of(int confirmations, long startBlock) {
        return new FollowerSettings(confirmations, false, startBlock, 2, 4, 256);
    }
}
