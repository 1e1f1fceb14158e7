package dev.cortado.node.runtime;

import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.storage.RocksMemory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/** Node counters (Micrometer, exported at /metrics) and the submit-to-decide latency recorder. */
public final class NodeMetrics {
    final Counter proposals;
    final Counter rejected;
    final Counter blocksRejected;
    final Counter malformed;
    final Counter equivocations;
    final Counter eventErrors;
    /** Timeout votes this node cast: each is a view that ended without a decision step (a stall of a view timeout). */
    final Counter timeoutVotes;
    /** Times a leader could not build yet because an undecided ancestor's transactions were unknown (fault 10). */
    final Counter buildsDeferred;
    /** Decisions reached before this node held the decided block (fault 10): each one is a catch-up. */
    final Counter decidedWithoutBlock;
    private final Counter decidedBlocks;
    private final Counter decidedTxs;
    private final Counter decidedBytes;
    private final Timer submitToDecide;
    private final Timer submitToDecideRun;
    /** Per-stage latency timers that attribute the submit-to-decide tail. */
    final StageMetrics stages;
    private final AtomicLong decidedTxTotal = new AtomicLong();
    private final AtomicLong decidedBytesTotal = new AtomicLong();
    private final AtomicLong decidedBlockTotal = new AtomicLong();
    /** Nanoseconds from HTTP submission (at this node) to decision (at this node). */
    private final Recorder latencyNanos = new Recorder(3);

    NodeMetrics(MeterRegistry registry) {
        proposals = registry.counter("cortado.consensus.proposals");
        rejected = registry.counter("cortado.consensus.rejected");
        blocksRejected = registry.counter("cortado.blocks.rejected");
        malformed = registry.counter("cortado.messages.malformed");
        equivocations = registry.counter("cortado.consensus.equivocations");
        eventErrors = registry.counter("cortado.events.errors");
        timeoutVotes = registry.counter("cortado.consensus.timeout.votes");
        buildsDeferred = registry.counter("cortado.builds.deferred");
        decidedWithoutBlock = registry.counter("cortado.decided.without.block");
        decidedBlocks = registry.counter("cortado.decided.blocks");
        decidedTxs = registry.counter("cortado.decided.transactions");
        decidedBytes = registry.counter("cortado.decided.bytes");
        // Heap and non-heap pools (jvm_memory_used_bytes), so a flood's memory cost is visible at /metrics.
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        submitToDecide = Timer.builder("cortado.submit.to.decide").publishPercentiles(0.5, 0.99, 0.999).register(registry);
        // The quantiles above cover Micrometer's sliding window (about two minutes); these buckets count the whole run.
        submitToDecideRun = Timer.builder("cortado.submit.to.decide.run")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(200),
                        Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(1_000))
                .register(registry);
        stages = new StageMetrics(registry);
    }

    /**
     * The store's native memory (issue 10), which the JVM's own memory metrics do not see:
     * {@code cortado_rocksdb_block_cache_usage_bytes} (the shared cache, memtable charge included),
     * {@code cortado_rocksdb_memtable_bytes} and {@code cortado_rocksdb_table_readers_bytes} (SST readers outside the cache).
     */
    static void storeMemory(MeterRegistry registry, NodeStore store) {
        RocksMemory memory = store.memory();
        Gauge.builder("cortado.rocksdb.block.cache.usage", memory, RocksMemory::blockCacheUsageBytes).baseUnit(BaseUnits.BYTES)
                .description("RocksDB shared block cache usage, including the memtables charged to it").register(registry);
        Gauge.builder("cortado.rocksdb.memtable", memory, RocksMemory::memtableBytes).baseUnit(BaseUnits.BYTES)
                .description("RocksDB memtables of all column families").register(registry);
        Gauge.builder("cortado.rocksdb.table.readers", memory, RocksMemory::tableReaderBytes).baseUnit(BaseUnits.BYTES)
                .description("RocksDB SST reader memory held outside the block cache").register(registry);
    }

    void decided(int txs, long payloadBytes, List<Long> submitNanos) {
        decidedBlocks.increment();
        decidedTxs.increment(txs);
        decidedBytes.increment(payloadBytes);
        decidedBlockTotal.incrementAndGet();
        decidedTxTotal.addAndGet(txs);
        decidedBytesTotal.addAndGet(payloadBytes);
        long now = System.nanoTime();
        for (long t : submitNanos) {
            long d = Math.max(0, now - t);
            latencyNanos.recordValue(d);
            submitToDecide.record(Duration.ofNanos(d));
            submitToDecideRun.record(Duration.ofNanos(d));
        }
    }

    public long proposals() {
        return (long) proposals.count();
    }

    public long buildsDeferred() {
        return (long) buildsDeferred.count();
    }

    public long decidedWithoutBlock() {
        return (long) decidedWithoutBlock.count();
    }

    public long decidedTransactions() {
        return decidedTxTotal.get();
    }

    public long decidedBytes() {
        return decidedBytesTotal.get();
    }

    public long decidedBlocks() {
        return decidedBlockTotal.get();
    }

    public Recorder latencyRecorder() {
        return latencyNanos;
    }
}
