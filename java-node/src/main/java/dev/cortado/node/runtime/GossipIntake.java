package dev.cortado.node.runtime;

import dev.cortado.node.mempool.Mempool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes gossiped transaction batches off the network's I/O threads and submits them to the mempool on a thread of
 * its own. Submitting hashes every transaction (a full batch is thousands); done on an I/O thread it held up that
 * thread's reads and keep-alive pings, and on a loaded machine peers then saw the connection as silent and closed
 * it. The queue is bounded: a batch that finds it full is dropped and counted; its transactions still wait in the
 * mempool of the node they were submitted to, which proposes them when it leads.
 *
 * <p>For the same reason a batch is shed unhashed while this node's mempool already holds {@code shedAboveBytes}
 * pending bytes (several blocks' worth). Without that, an offered load above what the network decides made every
 * node hash and index every transaction four times over (its own and the three peers' gossip) while the backlog only
 * grew, and that work took the cores the views need: views timed out, fewer blocks were decided, and the backlog grew
 * faster. A shed transaction is not lost: its own node holds it and proposes it when it leads.
 */
final class GossipIntake implements AutoCloseable {
    /** Batches waiting; a batch holds at most one block's bytes, so this bounds the memory to a few blocks. */
    static final int CAPACITY = 8;
    /** Blocks' worth of pending bytes above which gossip is shed: enough to fill every block of several views. */
    static final int SHED_ABOVE_BLOCKS = 8;

    private final Mempool mempool;
    private final BlockingQueue<NodeMessage.TxBatch> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter dropped;
    private final Counter shed;
    private final long shedAboveBytes;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param shedAboveBytes pending mempool bytes at which gossiped batches are shed rather than submitted */
    GossipIntake(Mempool mempool, MeterRegistry registry, String threadName, long shedAboveBytes) {
        this.mempool = mempool;
        this.shedAboveBytes = shedAboveBytes;
        this.shed = Counter.builder("cortado_gossip_batches_shed_total")
                .description("gossiped transaction batches not submitted because the mempool held a backlog").register(registry);
        this.dropped = Counter.builder("cortado_gossip_batches_dropped_total")
                .description("gossiped transaction batches dropped because the intake queue was full").register(registry);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Any thread, never blocks. */
    void offer(NodeMessage.TxBatch batch) {
        if (!queue.offer(batch)) {
            dropped.increment();
        }
    }

    /** Submits a batch here and now, on the caller's thread, unless the mempool holds a backlog; false if shed. */
    boolean submit(NodeMessage.TxBatch batch) {
        if (mempool.totalBytes() >= shedAboveBytes) {
            shed.increment();
            return false;
        }
        mempool.submitAll(batch.txs().stream()
                .map(tx -> new dev.cortado.node.mempool.Mempool.Submission(tx.namespace(), tx.payload())).toList());
        return true;
    }

    private void run() {
        while (running) {
            try {
                NodeMessage.TxBatch b = queue.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    submit(b);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
