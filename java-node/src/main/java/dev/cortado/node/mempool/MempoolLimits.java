package dev.cortado.node.mempool;

/**
 * @param maxBlockBytes largest block body the leader builds (sum of 4-byte prefixes and payloads)
 * @param maxNamespaceBytes pending bytes allowed per namespace
 * @param maxTotalBytes pending bytes allowed in all
 * @param maxTotalTxs pending transactions allowed in all
 */
public record MempoolLimits(int maxBlockBytes, long maxNamespaceBytes, long maxTotalBytes, int maxTotalTxs) {
    /**
     * 48 MiB and 150,000 pending transactions: about 48 full 1 MiB blocks, or 7.5 s of the 20,000 tx/s target, more
     * than any p99 goal leaves room for. A larger backlog only holds heap (each entry also costs its index objects)
     * and adds latency; the node's 320 MiB default heap must hold it next to everything else ("Node memory (issue 10)"
     * in docs/architecture.md).
     */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 48L << 20;
    public static final int DEFAULT_MAX_TOTAL_TXS = 150_000;

    public MempoolLimits {
        if (maxBlockBytes < 8 || maxNamespaceBytes < 1 || maxTotalBytes < maxNamespaceBytes || maxTotalTxs < 1) {
            throw new IllegalArgumentException("inconsistent mempool limits: " + maxBlockBytes + ", " + maxNamespaceBytes
                    + ", " + maxTotalBytes + ", " + maxTotalTxs);
        }
    }

    /** Largest transaction payload: it must fit in a block next to its length prefix. */
    public int maxTxBytes() {
        return maxBlockBytes - 4;
    }

    public static MempoolLimits defaults() {
        return new MempoolLimits(1 << 20, 16L << 20, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_TOTAL_TXS);
    }
}
