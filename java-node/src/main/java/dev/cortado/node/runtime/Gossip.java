package dev.cortado.node.runtime;

import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.cdn.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards transactions submitted at this node to every other node in batches every few
 * milliseconds, so whichever node leads next has them in its mempool. Batching keeps the message
 * rate independent of the transaction rate.
 */
final class Gossip {
    static final long FLUSH_MS = 5;
    /** Queued but not yet sent; submissions beyond this are refused upstream as "mempool full". */
    static final int MAX_QUEUED = 200_000;

    private final NodeNetwork network;
    private final NodeCodec codec;
    private final int maxBatchBytes;
    private final ConcurrentLinkedQueue<NodeMessage.Tx> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    Gossip(NodeNetwork network, NodeCodec codec, int maxBatchBytes) {
        this.network = network;
        this.codec = codec;
        this.maxBatchBytes = maxBatchBytes;
    }

    void start(ScheduledExecutorService timers) {
        timers.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    boolean offer(long namespace, byte[] payload) {
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            return false;
        }
        queue.add(new NodeMessage.Tx(namespace, payload));
        return true;
    }

    private void flush() {
        while (!queue.isEmpty()) {
            List<NodeMessage.Tx> batch = new ArrayList<>();
            int bytes = 0;
            NodeMessage.Tx tx;
            while (bytes < maxBatchBytes && (tx = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(tx);
                bytes += tx.payload().length + 12;
            }
            if (!batch.isEmpty()) {
                // Transactions are not identity-bearing: unsigned through a broker, which saves a signature per batch.
                network.broadcastPlain(Topic.ALL, codec.encode(new NodeMessage.TxBatch(batch)));
            }
        }
    }
}
