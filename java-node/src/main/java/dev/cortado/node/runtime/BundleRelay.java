package dev.cortado.node.runtime;

import dev.cortado.node.api.MarketGate;
import dev.cortado.node.cdn.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bundle gossip (node message kind 19): a bundle admitted at this node's API is forwarded to every other node,
 * so whichever node leads next can include it. Gossiped bundles go through the same admission as submitted ones
 * (cheapest check first, the pool deduplicates by id and by signer/window/sequence), and are never forwarded
 * again: the origin broadcasts to all. Batches of at most {@link NodeCodec#MAX_GOSSIP_BUNDLES} every few
 * milliseconds; at most {@link #MAX_QUEUED} wait, beyond which forwarding is skipped (the bundle stays pooled
 * here, and sequencers submit to several nodes anyway).
 */
final class BundleRelay implements MarketGate {
    static final long FLUSH_MS = 5;
    static final int MAX_QUEUED = 4_096;

    private final MarketGate admission;
    private final PeerLink peers;
    private final int maxBatchBytes;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    final AtomicLong relayed = new AtomicLong();
    final AtomicLong gossipRefused = new AtomicLong();

    BundleRelay(MarketGate admission, PeerLink peers, int maxBatchBytes) {
        this.admission = admission;
        this.peers = peers;
        this.maxBatchBytes = maxBatchBytes;
    }

    void start(ScheduledExecutorService timers) {
        timers.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<Refusal> refuseLoose(long namespace) {
        return admission.refuseLoose(namespace);
    }

    /** A bundle submitted at this node's API: admitted, and forwarded if it is new here. */
    @Override
    public BundleResult submitBundle(byte[] body) {
        BundleResult r = admission.submitBundle(body);
        if (r instanceof BundleAccepted a && !a.duplicate() && queued.incrementAndGet() <= MAX_QUEUED) {
            queue.add(body);
        } else if (r instanceof BundleAccepted a && !a.duplicate()) {
            queued.decrementAndGet();
        }
        return r;
    }

    /** Bundles a peer forwarded: admitted like submitted ones, not forwarded again. */
    void onGossip(NodeMessage.BundleGossip g) {
        for (byte[] bundle : g.bundles()) {
            if (admission.submitBundle(bundle) instanceof BundleRefused) {
                gossipRefused.incrementAndGet();
            }
        }
    }

    private void flush() {
        while (!queue.isEmpty()) {
            List<byte[]> batch = new ArrayList<>();
            int bytes = 0;
            byte[] b;
            while (batch.size() < NodeCodec.MAX_GOSSIP_BUNDLES && (batch.isEmpty() || bytes < maxBatchBytes / 2)
                    && (b = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(b);
                bytes += b.length + 4;
            }
            if (batch.isEmpty()) {
                return;
            }
            peers.broadcast(Topic.ALL, new NodeMessage.BundleGossip(batch));
            relayed.addAndGet(batch.size());
        }
    }
}
