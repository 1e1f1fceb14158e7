package dev.cortado.node.consensus;

/**
 * Static parameters of one replica's core.
 *
 * @param chainId HotShot chain id bound into every digest and leaf
 * @param stakes stake per table index
 * @param baseTimeoutMs view timeout after progress; doubles for every consecutive timeout
 * @param maxTimeoutMs ceiling of the backed-off timeout
 * @param maxFutureViews messages further ahead than this many views are dropped
 * @param futureBufferPerSender buffered future-view messages kept per sender
 * @param futureBufferTotal buffered future-view messages kept in total
 * @param maxPendingLeaves leaves fetched but not yet connected to the chain, and deferred proposals
 * @param epochs the epoch length and the stake-table source the handover leaves are checked against
 *     ({@link Epochs#NONE}: one table for the life of the network)
 */
public record ConsensusConfig(long chainId, StakeWeights stakes, long baseTimeoutMs, long maxTimeoutMs,
        int maxFutureViews, int futureBufferPerSender, int futureBufferTotal, int maxPendingLeaves, Epochs epochs) {

    public ConsensusConfig {
        if (stakes == null || epochs == null) {
            throw new IllegalArgumentException("stakes and epochs are required");
        }
        if (baseTimeoutMs <= 0 || maxTimeoutMs < baseTimeoutMs) {
            throw new IllegalArgumentException("need 0 < baseTimeoutMs <= maxTimeoutMs, got " + baseTimeoutMs + ", "
                    + maxTimeoutMs);
        }
        if (maxFutureViews < 1 || futureBufferPerSender < 1 || futureBufferTotal < futureBufferPerSender
                || maxPendingLeaves < 1) {
            throw new IllegalArgumentException("buffer bounds must be positive and total >= per sender");
        }
    }

    /** A network without epochs. */
    public ConsensusConfig(long chainId, StakeWeights stakes, long baseTimeoutMs, long maxTimeoutMs,
            int maxFutureViews, int futureBufferPerSender, int futureBufferTotal, int maxPendingLeaves) {
        this(chainId, stakes, baseTimeoutMs, maxTimeoutMs, maxFutureViews, futureBufferPerSender, futureBufferTotal,
                maxPendingLeaves, Epochs.NONE);
    }

    /** Defaults for a network of {@code stakes.size()} replicas. */
    public static ConsensusConfig defaults(long chainId, StakeWeights stakes) {
        return new ConsensusConfig(chainId, stakes, 1_000, 60_000, 1_000, 16, 16 * stakes.size(), 1_024);
    }

    public ConsensusConfig withTimeouts(long baseMs, long maxMs) {
        return new ConsensusConfig(chainId, stakes, baseMs, maxMs, maxFutureViews, futureBufferPerSender,
                futureBufferTotal, maxPendingLeaves, epochs);
    }

    public ConsensusConfig withEpochs(Epochs e) {
        return new ConsensusConfig(chainId, stakes, baseTimeoutMs, maxTimeoutMs, maxFutureViews,
                futureBufferPerSender, futureBufferTotal, maxPendingLeaves, e);
    }
}
