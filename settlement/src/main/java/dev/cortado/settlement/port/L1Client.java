package dev.cortado.settlement.port;

/**
 * What a node reads from L1. The node depends on this port only; the web3j adapter lives in
 * {@code dev.cortado.settlement.l1} and is chosen at start-up.
 */
public interface L1Client extends AutoCloseable {

    /** The L1 chain id. */
    long chainId();

    /** The newest block. */
    L1Head latestHead();

    /** The newest block the L1 considers final (on a devnet, possibly the latest). */
    L1Head finalizedHead();

    /** The canonical block at {@code number}, or empty when the L1 has none (yet). */
    java.util.Optional<L1Head> headAt(long number);

    @Override
    void close();

    /** An L1 request that failed; the message names the request and the cause. */
    final class L1Exception extends RuntimeException {
        public L1Exception(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
