package dev.cortado.node.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the transport, exported through Micrometer and readable directly by tests. */
public final class TransportMetrics {
    private final MeterRegistry registry;
    private final Counter bytesSent;
    private final Counter framesSent;
    private final Counter bytesReceived;
    private final Counter sessions;
    private final Counter droppedOutbound;
    private final Counter paused;
    private final Counter outboundHandoffs;
    private final Counter outboundFlushes;
    private final LongAdder refusedTotal = new LongAdder();

    public TransportMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesSent = registry.counter("cortado.net.bytes.sent");
        this.framesSent = registry.counter("cortado.net.frames.sent");
        this.bytesReceived = registry.counter("cortado.net.bytes.received");
        this.sessions = registry.counter("cortado.net.sessions.opened");
        this.droppedOutbound = registry.counter("cortado.net.outbound.dropped");
        this.paused = registry.counter("cortado.net.inbound.paused");
        this.outboundHandoffs = registry.counter("cortado.net.outbound.handoffs");
        this.outboundFlushes = registry.counter("cortado.net.outbound.flushes");
    }

    void sent(int bytes) {
        bytesSent.increment(bytes);
        framesSent.increment();
    }

    void received(int bytes) {
        bytesReceived.increment(bytes);
    }

    void sessionOpened() {
        sessions.increment();
    }

    void droppedOutbound() {
        droppedOutbound.increment();
    }

    /** A drain task handed to a channel's event loop from another thread (one per burst, not per frame). */
    void outboundHandoff() {
        outboundHandoffs.increment();
    }

    void outboundFlush() {
        outboundFlushes.increment();
    }

    void paused() {
        paused.increment();
    }

    void refused(String reason) {
        refusedTotal.increment();
        // Strip variable parts (sequence numbers, sizes) so the tag set stays small.
        String kind = reason.replaceAll("[:0-9].*$", "").trim();
        registry.counter("cortado.net.refused", "reason", kind).increment();
    }

    public long refusedTotal() {
        return refusedTotal.sum();
    }

    public double refusedWithReason(String reasonPrefix) {
        return registry.find("cortado.net.refused").counters().stream()
                .filter(c -> c.getId().getTag("reason").startsWith(reasonPrefix))
                .mapToDouble(Counter::count).sum();
    }

    public long sessionsOpened() {
        return (long) sessions.count();
    }

    public long framesSent() {
        return (long) framesSent.count();
    }

    public long outboundHandoffs() {
        return (long) outboundHandoffs.count();
    }

    public long outboundFlushes() {
        return (long) outboundFlushes.count();
    }

    public long droppedOutboundCount() {
        return (long) droppedOutbound.count();
    }

    public long pausedCount() {
        return (long) paused.count();
    }
}
