package dev.cortado.node.mempool;

/**
 * @param maxBlockBytes largest block body the leader builds (sum of 4-byte prefixes and payloads)
 * @param maxNamespaceBytes pending bytes allowed per namespace
 * @param maxTotalBytes pending bytes allowed in all
 * @param maxTotalTxs pending transactions allowed in all
 */
public record MempoolLimits(int maxBlockBytes, long maxNamespaceBytes, long maxTotalBytes, int maxTotalTxs) {
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
        return new MempoolLimits(1 << 20, 16L << 20, 128L << 20, 500_000);
    }
}
