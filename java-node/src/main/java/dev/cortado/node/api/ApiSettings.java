package dev.cortado.node.api;

/**
 * How the HTTP API is sized. Netty's I/O threads only decode and encode; every request runs on a
 * worker so that no request can stall the socket loop.
 *
 * @param maxRequestBytes bodies above this are refused with 413 {@code body_too_large}
 * @param ioThreads Netty event-loop threads (socket reads and writes only)
 * @param workerThreads threads for submissions, status, blocks and the block streams
 * @param readThreads threads for namespace and transaction reads, which may have to retrieve a
 *     payload from the DA committee for seconds; kept apart so they cannot starve submissions
 * @param maxQueuedRequests requests waiting for a worker per pool; beyond it a request is answered
 *     503 {@code overloaded} at once instead of queueing without bound
 */
public record ApiSettings(int maxRequestBytes, int ioThreads, int workerThreads, int readThreads, int maxQueuedRequests) {
    public ApiSettings {
        requireAtLeast("maxRequestBytes", maxRequestBytes, 1);
        requireAtLeast("ioThreads", ioThreads, 1);
        requireAtLeast("workerThreads", workerThreads, 1);
        requireAtLeast("readThreads", readThreads, 1);
        requireAtLeast("maxQueuedRequests", maxQueuedRequests, 1);
    }

    /** One I/O thread, workers scaled to the machine, four payload readers. */
    public static ApiSettings defaults(int maxRequestBytes) {
        return new ApiSettings(maxRequestBytes, 1, defaultWorkerThreads(), DEFAULT_READ_THREADS, DEFAULT_MAX_QUEUED);
    }

    public static final int DEFAULT_READ_THREADS = 4;
    public static final int DEFAULT_MAX_QUEUED = 4096;

    /** Submissions are short CPU work (parse, hash, mempool insert): a few threads per core keep them flowing. */
    public static int defaultWorkerThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
