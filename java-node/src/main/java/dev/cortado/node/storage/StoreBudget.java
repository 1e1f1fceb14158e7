package dev.cortado.node.storage;

/**
 * The native memory the node's RocksDB may use for caching and write buffering ({@code [storage]} in node.toml).
 * Memtables of every column family together stay near {@code writeBufferBytes}; the block cache holds
 * {@code blockCacheBytes} of data, index and filter blocks on top of that (see {@link RocksMemory}).
 *
 * @param blockCacheBytes the shared block cache, beyond what the memtables are charged to it
 * @param writeBufferBytes all memtables of all column families together
 */
public record StoreBudget(long blockCacheBytes, long writeBufferBytes) {
    /**
     * 16 MiB of cache and 16 MiB of memtables: what is left of a 512 MiB node once the 320 MiB heap, the JVM's own
     * native memory and the mapped libraries are counted (see "Node memory (issue 10)" in docs/architecture.md).
     */
    public static final long DEFAULT_BLOCK_CACHE_MIB = 16;
    public static final long DEFAULT_WRITE_BUFFER_MIB = 16;
    public static final StoreBudget DEFAULT = ofMiB(DEFAULT_BLOCK_CACHE_MIB, DEFAULT_WRITE_BUFFER_MIB);

    public StoreBudget {
        if (blockCacheBytes < 1 << 20 || writeBufferBytes < 1 << 20) {
            throw new IllegalArgumentException("the block cache and the write buffers need at least 1 MiB each, got "
                    + blockCacheBytes + " and " + writeBufferBytes + " bytes");
        }
    }

    public static StoreBudget ofMiB(long blockCacheMiB, long writeBufferMiB) {
        return new StoreBudget(blockCacheMiB << 20, writeBufferMiB << 20);
    }

    /** The capacity of the shared cache: the memtables' charge plus the room left for blocks. */
    long cacheCapacityBytes() {
        return blockCacheBytes + writeBufferBytes;
    }
}
