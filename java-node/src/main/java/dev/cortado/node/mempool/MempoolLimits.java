package dev.cortado.node.mempool;

/**
 * @param maxBlockBytes largest block body the leader builds (sum of 4-byte prefixes and payloads)
 * @param maxNamespaceBytes pending bytes allowed per namespace
 * @param maxTotalBytes pending bytes allowed in all
 * @param maxTotalTxs pending transactions allowed in all
 * @param maxBacklogBytes pending bytes at which client submissions are refused as {@code backlog} (429) before any
 *     of their transactions is looked at; gossip from peers is not held to it. See {@link #backlogBytes}.
 */
public record MempoolLimits(int maxBlockBytes, long maxNamespaceBytes, long maxTotalBytes, int maxTotalTxs,
                            long maxBacklogBytes) {
    /** {@code [mempool] max_backlog_blocks} when node.toml does not set it. */
    public static final int DEFAULT_BACKLOG_BLOCKS = 4;
    /** The backlog limit never goes below this, so a node with small blocks still takes a reasonable burst. */
    public static final long MIN_BACKLOG_BYTES = 8L << 20;
    /**
     * 48 MiB and 150,000 pending transactions: about 48 full 1 MiB blocks, or 7.5 s of the 20,000 tx/s target, more
     * than any p99 goal leaves room for. A larger backlog only holds heap (each entry also costs its index objects)
     * and adds latency; the node's 320 MiB default heap must hold it next to everything else ("Node memory (issue 10)"
     * in docs/architecture.md).
     */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 48L << 20;
    public static final int DEFAULT_MAX_TOTAL_TXS = 150_000;

    public MempoolLimits {
        if (maxBlockBytes < 8 || maxNamespaceBytes < 1 || maxTotalBytes < maxNamespaceBytes || maxTotalTxs < 1
                || maxBacklogBytes < 1) {
            throw new IllegalArgumentException("inconsistent mempool limits: " + maxBlockBytes + ", " + maxNamespaceBytes
                    + ", " + maxTotalBytes + ", " + maxTotalTxs + ", " + maxBacklogBytes);
        }
    }

    /** Limits with the default backlog of {@link #DEFAULT_BACKLOG_BLOCKS} blocks. */
    public MempoolLimits(int maxBlockBytes, long maxNamespaceBytes, long maxTotalBytes, int maxTotalTxs) {
        this(maxBlockBytes, maxNamespaceBytes, maxTotalBytes, maxTotalTxs, backlogBytes(DEFAULT_BACKLOG_BLOCKS, maxBlockBytes));
    }

    /**
     * The backlog limit of {@code blocks} full blocks of {@code maxBlockBytes}, at least {@link #MIN_BACKLOG_BYTES}: about
     * how many views' worth of work a client may queue before it is told to wait.
     */
    public static long backlogBytes(int blocks, int maxBlockBytes) {
        if (blocks < 1) {
            throw new IllegalArgumentException("backlog must be at least one block, got " + blocks);
        }
        return Math.max((long) blocks * maxBlockBytes, MIN_BACKLOG_BYTES);
    }

    /** The same limits with client submissions refused from {@code bytes} pending on. */
    public MempoolLimits withMaxBacklogBytes(long bytes) {
        return new MempoolLimits(maxBlockBytes, maxNamespaceBytes, maxTotalBytes, maxTotalTxs, bytes);
    }

    /** Largest transaction payload: it must fit in a block next to its length prefix. */
    public int maxTxBytes() {
        return maxBlockBytes - 4;
    }

    public static MempoolLimits defaults() {
        return new MempoolLimits(1 << 20, 16L << 20, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_TOTAL_TXS);
    }
}
