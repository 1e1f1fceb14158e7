package dev.cortado.node.storage;

import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.WriteBufferManager;

/**
 * The native objects that bound the node store's RocksDB memory to a {@link StoreBudget}, built before the
 * database opens and closed only after it is closed (RocksDB reads them for as long as it runs).
 *
 * <p>Without them every column family would get its own 8 MiB block cache and up to two 64 MiB memtables, so
 * the store's memory grew with the number of families and with the write rate rather than with a setting. Here all
 * families share one LRU cache, which also holds the index and filter blocks (otherwise kept outside any cache,
 * growing with the data), and one {@link WriteBufferManager} charged to that cache, which flushes the largest
 * memtable once all of them together reach the write budget. The manager is built with stalls off: a stalled write
 * would block the thread that decides blocks, and a short overshoot of the budget while a flush runs is cheaper.
 */
public final class RocksMemory implements AutoCloseable {
    /** Immutable memtables a family may hold while a flush runs, before RocksDB itself slows writes. */
    private static final int MEMTABLES_PER_FAMILY = 3;
    private static final long MIN_SHARD_BYTES = 8L << 20;
    private static final int MAX_SHARD_BITS = 6;

    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final BloomFilter txFilter;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions plainFamily;
    private final ColumnFamilyOptions txIndexFamily;
    private RocksDB db;
    private boolean closed;

    RocksMemory(StoreBudget budget) {
        // Half the cache is kept for index and filter blocks (high priority), so data blocks cannot push them out.
        cache = new LRUCache(budget.cacheCapacityBytes(), shardBits(budget.cacheCapacityBytes()), false, 0.5);
        writeBuffers = new WriteBufferManager(budget.writeBufferBytes(), cache, false);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(writeBuffers);
        plainFamily = family(budget, null);
        txFilter = new BloomFilter(10, false);
        txIndexFamily = family(budget, txFilter);
    }

    /**
     * The cache splits into 2^bits shards, each an LRU of its own, and a block larger than its shard is dropped as
     * soon as it is inserted. RocksDB's own choice (shards of 512 KiB) is too small for the tx index: the filter of
     * one 64 MiB SST file is over a megabyte, and re-reading it on every lookup made a batch of lookups 20 to 100
     * times slower ({@code ./cortado bench tx-index}). Shards of at least 8 MiB hold such a block with room to spare.
     */
    static int shardBits(long capacityBytes) {
        int bits = 0;
        while (bits < MAX_SHARD_BITS && capacityBytes >> (bits + 1) >= MIN_SHARD_BYTES) {
            bits++;
        }
        return bits;
    }

    private ColumnFamilyOptions family(StoreBudget budget, BloomFilter filter) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true).setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (filter != null) {
            table.setFilterPolicy(filter);
        }
        // A quarter of the budget per memtable, so a few busy families share it; the arena grows in blocks of an
        // eighth of that, which keeps the dozen mostly idle families from each reserving megabytes.
        long memtableBytes = Math.max(256L << 10, budget.writeBufferBytes() / 4);
        return new ColumnFamilyOptions().setTableFormatConfig(table).setWriteBufferSize(memtableBytes)
                .setArenaBlockSize(Math.max(32L << 10, memtableBytes / 8)).setMaxWriteBufferNumber(MEMTABLES_PER_FAMILY);
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ColumnFamilyOptions plainFamily() {
        return plainFamily;
    }

    /** The {@code tx} family's options: the same budget, plus the whole-key bloom filter {@link TxIndexColumn} reads through. */
    ColumnFamilyOptions txIndexFamily() {
        return txIndexFamily;
    }

    /** The database these options opened; the gauges read it until {@link #closeAfter}. */
    synchronized void opened(RocksDB database) {
        db = database;
    }

    /** Bytes held by the shared cache (data, index and filter blocks, the memtables' charge), or NaN once closed. */
    public synchronized double blockCacheUsageBytes() {
        return closed ? Double.NaN : cache.getUsage();
    }

    /** Bytes in the memtables of all column families, or NaN once closed; for a gauge. */
    public double memtableBytes() {
        return longProperty("rocksdb.cur-size-all-mem-tables");
    }

    /** Bytes the open SST readers hold outside the cache, or NaN once closed; for a gauge. */
    public double tableReaderBytes() {
        return longProperty("rocksdb.estimate-table-readers-mem");
    }

    /** A numeric property summed over the column families, or NaN once closed or if RocksDB cannot answer. */
    private synchronized double longProperty(String name) {
        if (closed || db == null) {
            return Double.NaN;
        }
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            return Double.NaN;
        }
    }

    /** A map property such as {@code rocksdb.block-cache-entry-stats} (the cache's bytes by kind of block). */
    synchronized Map<String, String> mapProperty(String name) {
        if (closed || db == null) {
            throw new StorageException("the store is closed");
        }
        try {
            return db.getMapProperty(name);
        } catch (RocksDBException e) {
            throw new StorageException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code closeDatabase}, then frees the cache, the write buffer manager, the filter and the options it
     * used; the lock keeps a metrics scrape from reading a database being closed. A second call does nothing.
     */
    synchronized void closeAfter(Runnable closeDatabase) {
        if (closed) {
            return;
        }
        closed = true;
        closeDatabase.run();
        close();
    }

    /** Frees the native objects; only once no database uses them (see {@link #closeAfter}). */
    @Override
    public void close() {
        closed = true;
        for (RocksObject o : List.of(plainFamily, txIndexFamily, dbOptions, txFilter, writeBuffers, cache)) {
            o.close();
        }
    }
}
