package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's RocksDB memory budget: one cache for every family, memtables charged to it, gauges safe after close. */
class RocksMemoryTest {
    private static final int PAYLOAD_BYTES = 64 << 10;

    @TempDir Path dir;
    private final Random random = new Random(10);

    private byte[] random(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void decide(NodeStore s, long h) {
        s.putDecided(new DecidedBlock(h, h + 10, random(40), random(20), random(30), random(32)), random(PAYLOAD_BYTES),
                random(PAYLOAD_BYTES / 4), List.of(new NodeStore.IndexedTx(random(32), 1, 0)), random(100));
    }

    @Test
    void memtablesAreChargedToTheSharedCache() {
        try (NodeStore s = new NodeStore(dir, StoreBudget.ofMiB(8, 8))) {
            for (long h = 1; h <= 20; h++) {
                decide(s, h);
            }
            double memtables = s.memory().memtableBytes();
            assertTrue(memtables > 20 * PAYLOAD_BYTES, "the writes are still in memtables: " + memtables);
            // Nothing was flushed or read yet, so the cache holds only the write buffer manager's reservation.
            assertTrue(s.memory().blockCacheUsageBytes() >= memtables, s.memory().blockCacheUsageBytes() + " < " + memtables);
        }
    }

    @Test
    void writesBeyondTheWriteBudgetAreFlushedAndReadsFillTheOneBoundedCache() {
        StoreBudget budget = StoreBudget.ofMiB(1, 1);
        try (NodeStore s = new NodeStore(dir, budget)) {
            int blocks = 200;
            for (long h = 1; h <= blocks; h++) {
                decide(s, h);
                // The manager flushes once the families together pass the budget; the slack is one memtable's
                // arena block per family and the flush that is still running.
                assertTrue(s.memory().memtableBytes() <= 3 * budget.writeBufferBytes(), "memtables at " + h + ": " + s.memory().memtableBytes());
            }
            double beforeReads = s.memory().blockCacheUsageBytes();
            for (long h = 1; h <= blocks; h++) {
                assertEquals(PAYLOAD_BYTES, s.payload(h).orElseThrow().length);
            }
            double afterReads = s.memory().blockCacheUsageBytes();
            assertTrue(afterReads > beforeReads, "payload blocks read from SST files land in the shared cache: "
                    + beforeReads + " → " + afterReads);
            // The cache may go past its capacity only by entries in use right now, and none is at the end.
            assertTrue(afterReads <= budget.cacheCapacityBytes() + (256 << 10), "cache usage " + afterReads);
        }
    }

    @Test
    void gaugesReadNothingOnceClosedAndCloseTwiceIsHarmless() {
        NodeStore s = new NodeStore(dir, StoreBudget.DEFAULT);
        decide(s, 1);
        assertTrue(s.memory().tableReaderBytes() >= 0);
        s.close();
        assertTrue(Double.isNaN(s.memory().blockCacheUsageBytes()));
        assertTrue(Double.isNaN(s.memory().memtableBytes()));
        assertTrue(Double.isNaN(s.memory().tableReaderBytes()));
        s.close();
        try (NodeStore again = new NodeStore(dir, StoreBudget.ofMiB(2, 3))) {
            assertEquals(1, again.latestHeight());
            assertArrayEquals(again.decided(1).orElseThrow().commitment(), again.headers().leaf(1).orElseThrow().bytes());
        }
    }

    @Test
    void theTxIndexFilterOfALargeFileStaysInTheCache() {
        try (NodeStore s = new NodeStore(dir)) {
            // 600,000 keys in one SST: a filter of about 750 KiB, more than a shard of RocksDB's default split.
            for (long h = 1; h <= 120; h++) {
                List<NodeStore.IndexedTx> txs = new java.util.ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    txs.add(new NodeStore.IndexedTx(random(32), 1, i));
                }
                s.putDecided(new DecidedBlock(h, h, random(32), random(32), random(32), random(32)), null, null, txs, null);
            }
            s.compactTxIndex();
            for (int i = 0; i < 100; i++) {
                s.txIndexed(List.of(random(32)));
            }
            java.util.Map<String, String> stats = s.memory().mapProperty("rocksdb.block-cache-entry-stats");
            long filterBytes = Long.parseLong(stats.getOrDefault("bytes.filter-block", "0"));
            assertTrue(filterBytes > 512 << 10, "the filter blocks are cached: " + stats);
        }
    }

    @Test
    void cacheShardsAreLargeEnoughForAFilterBlock() {
        assertEquals(0, RocksMemory.shardBits(2L << 20));
        assertEquals(0, RocksMemory.shardBits(15L << 20));
        assertEquals(1, RocksMemory.shardBits(16L << 20));
        assertEquals(2, RocksMemory.shardBits(StoreBudget.DEFAULT.cacheCapacityBytes()));
        assertEquals(6, RocksMemory.shardBits(64L << 30));
    }

    @Test
    void aBudgetBelowOneMebibyteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StoreBudget((1 << 20) - 1, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new StoreBudget(1 << 20, 0));
        assertEquals(new StoreBudget(16L << 20, 16L << 20), StoreBudget.DEFAULT);
    }
}
