package dev.cortado.node.cdn;

import dev.cortado.node.net.BoundedInbox;
import dev.cortado.node.net.DirectMesh;
import dev.cortado.node.net.InboundMessage;
import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.InboxEvents;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node's whole network: the listener for peers' connections, the direct mesh and the CDN client.
 * Messages go through a broker while one is up and trusted, and directly otherwise: a broker that
 * dies closes its sockets at once; one that hangs is declared dead after the transport's silence
 * limit (800 ms by default); one that keeps its session alive but stops relaying is caught by
 * {@link BrokerWatch} when views stop progressing. Everything sent through a broker is wrapped in an
 * {@link OriginEnvelope} signed by this node ({@link #broadcastPlain} excepted), and deliveries are
 * checked against the sender the broker stamps ({@link OriginCheck}). Every inbound path lands in
 * one bounded inbox.
 */
public final class NodeNetwork implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeNetwork.class);
    /** Stall limit until the node reports its view timeout ({@link #fallBackAfterStallMs}). */
    static final long DEFAULT_STALL_MS = 3_000;
    static final long TICK_MS = 100;

    private final Transport transport;
    private final PeerKey self;
    /**
     * The peers configured with {@code da}: the {@link Topic#DA_COMMITTEE} topic's subscribers, sent every full block.
     * The DA committee of each epoch is among them (those with stake in its table), so the set need not change at an
     * epoch boundary; one outside the current committee checks the block and does not vote.
     */
    private final Set<PeerKey> daMembers;
    private final BoundedInbox<InboundMessage> inbox;
    private final InboundSink sink;
    private final InboxEvents inboxEvents;
    private final PeerAuthorizer staked;
    private final boolean useBrokers;
    private final CdnClient cdn;
    private final OriginCheck origin;
    private final PairMacs macs;
    private final Counter viaBroker;
    private final Counter viaDirect;
    private volatile BrokerWatch watch = new BrokerWatch(DEFAULT_STALL_MS, DEFAULT_STALL_MS, 32 * DEFAULT_STALL_MS);
    private final long startNanos = System.nanoTime();
    private DirectMesh mesh;
    private BrokerWatch.Mode lastMode = BrokerWatch.Mode.BROKER;
    public NodeNetwork(Transport transport, Set<PeerKey> stakeTable, Set<PeerKey> daMembers, List<BrokerEndpoint> brokers,
            boolean useBrokers, BoundedInbox<InboundMessage> inbox, MeterRegistry registry) {
        this(transport, stakeTable, daMembers, brokers, useBrokers, InboundSink.into(inbox), inbox, registry);
    }

    /** @param sink where every inbound payload goes (the node's event queue) */
    public NodeNetwork(Transport transport, Set<PeerKey> stakeTable, Set<PeerKey> daMembers, List<BrokerEndpoint> brokers,
            boolean useBrokers, InboundSink sink, MeterRegistry registry) {
        this(transport, stakeTable, daMembers, brokers, useBrokers, sink, null, registry);
    }

    private NodeNetwork(Transport transport, Set<PeerKey> stakeTable, Set<PeerKey> daMembers, List<BrokerEndpoint> brokers,
            boolean useBrokers, InboundSink sink, BoundedInbox<InboundMessage> inbox, MeterRegistry registry) {
        this.transport = transport;
        this.sink = sink;
        this.self = transport.crypto().localKey();
        this.daMembers = Set.copyOf(daMembers);
        this.inbox = inbox;
        this.inboxEvents = new InboxEvents(sink);
        this.staked = PeerAuthorizer.anyOf(stakeTable);
        this.useBrokers = useBrokers && !brokers.isEmpty();
        Set<Topic> topics = daMembers.contains(self) ? Set.of(Topic.ALL, Topic.DA_COMMITTEE) : Set.of(Topic.ALL);
        this.macs = new PairMacs(transport.settings().chainId(), transport.crypto(), stakeTable);
        this.origin = new OriginCheck(transport.settings().chainId(), transport.crypto(), macs, stakeTable, topics, sink, registry,
                this::nowMs, this::onForgery, this::onProbe);
        this.cdn = new CdnClient(transport, brokers, topics, origin);
        this.viaBroker = registry.counter("cortado.net.sends", "path", "broker");
        this.viaDirect = registry.counter("cortado.net.sends", "path", "direct");
    }

    /** Binds the listener for peers' direct connections. */
    public InetSocketAddress listen(String host, int port) {
        return transport.listen(host, port, staked, inboxEvents);
    }

    /** Dials every peer and broker; {@code peers} excludes this node. */
    public void connect(Map<PeerKey, InetSocketAddress> peers) {
        mesh = new DirectMesh(transport, peers);
        mesh.start();
        if (useBrokers) {
            cdn.start();
            transport.schedule(this::tick, TICK_MS);
        }
    }

    /**
     * The node's current view (called on every consensus step): the broker is judged by whether views
     * progress while messages go through it.
     */
    public void viewIs(long view) {
        watch.viewIs(view, nowMs());
    }

    /**
     * Sets the stall limit, normally twice the base view timeout: with views stuck that long while a
     * broker session is open, the node sends directly until the broker relays its probe again.
     */
    public void fallBackAfterStallMs(long stallMs) {
        watch = new BrokerWatch(stallMs, stallMs, 32 * stallMs);
    }

    /**
     * Authenticated by this node end to end, so the broker cannot alter it or claim another sender:
     * with one tag per staked node from keys the broker cannot compute ({@link PairMacs}), or, where
     * such keys are unavailable, a BLS signature.
     */
    public void broadcast(Topic topic, byte[] payload) {
        if (brokered()) {
            byte[] digest = OriginEnvelope.digest(chainId(), self, OriginEnvelope.topicRoute(topic), payload);
            if (cdn.broadcast(topic, OriginEnvelope.encode(broadcastEnvelope(topic, digest, payload)))) {
                viaBroker.increment();
                return;
            }
        }
        broadcastDirect(topic, payload);
    }

    private OriginEnvelope broadcastEnvelope(Topic topic, byte[] digest, byte[] payload) {
        if (macs.usable()) {
            List<byte[]> tags = new java.util.ArrayList<>(macs.order().size());
            for (PeerKey k : macs.order()) {
                tags.add(k.equals(self) ? new byte[PairMacs.TAG_BYTES] : macs.tag(k, digest).orElse(new byte[PairMacs.TAG_BYTES]));
            }
            return new OriginEnvelope.MacBroadcast(topic, tags, payload);
        }
        return new OriginEnvelope.SignedBroadcast(topic, transport.crypto().sign(digest), payload);
    }

    private OriginEnvelope directEnvelope(PeerKey to, byte[] payload) {
        byte[] digest = OriginEnvelope.digest(chainId(), self, OriginEnvelope.directRoute(to), payload);
        java.util.Optional<byte[]> tag = macs.usable() && macs.slotOf(to) >= 0 ? macs.tag(to, digest) : java.util.Optional.empty();
        return tag.<OriginEnvelope>map(t -> new OriginEnvelope.MacDirect(t, payload))
                .orElseGet(() -> new OriginEnvelope.SignedDirect(transport.crypto().sign(digest), payload));
    }

    /**
     * Broadcasts gossip whose sender does not matter (transaction batches) without a signature: the
     * receiver attributes it to the broker, never to this node, so it must not be identity-bearing.
     */
    public void broadcastPlain(Topic topic, byte[] payload) {
        if (brokered() && cdn.broadcast(topic, OriginEnvelope.encode(new OriginEnvelope.Plain(payload)))) {
            viaBroker.increment();
            return;
        }
        broadcastDirect(topic, payload);
    }

    private void broadcastDirect(Topic topic, byte[] payload) {
        viaDirect.increment();
        switch (topic) {
            case ALL -> mesh.broadcast(payload);
            case DA_COMMITTEE -> {
                for (PeerKey member : daMembers) {
                    if (!member.equals(self)) {
                        mesh.send(member, payload);
                    }
                }
            }
        }
    }

    public boolean send(PeerKey to, byte[] payload) {
        if (brokered()) {
            if (cdn.direct(to, OriginEnvelope.encode(directEnvelope(to, payload)))) {
                viaBroker.increment();
                return true;
            }
        }
        viaDirect.increment();
        return mesh.send(to, payload);
    }

    /** Sends only on the direct mesh (catch-up replies go back the way the request's sender dialled). */
    public boolean sendDirect(PeerKey to, byte[] payload) {
        return mesh.send(to, payload);
    }

    /** The broker messages go through now: connected and not suspected. */
    public Optional<BrokerEndpoint> activeBroker() {
        return brokered() ? cdn.activeBroker() : Optional.empty();
    }

    /** A broker with an open session, trusted or not. */
    public Optional<BrokerEndpoint> connectedBroker() {
        return useBrokers ? cdn.activeBroker() : Optional.empty();
    }

    /** How many times a broker was suspected of not relaying or of forging. */
    public long brokerSuspicions() {
        return watch.suspicions();
    }

    /** Deliveries refused because their origin signature or stamped sender was wrong. */
    public long forgedDeliveries() {
        return origin.forged();
    }

    private boolean brokered() {
        return useBrokers && watch.mode(nowMs()) == BrokerWatch.Mode.BROKER;
    }

    private byte[] chainId() {
        return transport.settings().chainId();
    }

    private long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Re-evaluates the watch even when nothing is sent, and probes a suspected broker. */
    private void tick() {
        if (transport.isClosed()) {
            return;
        }
        long now = nowMs();
        BrokerWatch w = watch;
        BrokerWatch.Mode m = w.mode(now);
        if (m != lastMode) {
            LOG.info(m == BrokerWatch.Mode.DIRECT ? "suspecting the broker (suspicion {}): sending directly"
                    : "the broker relays again (after suspicion {}): sending through it", w.suspicions());
            lastMode = m;
        }
        if (w.probeDue(now)) {
            cdn.direct(self, OriginEnvelope.encode(new OriginEnvelope.Probe(origin.newProbe())));
        }
        transport.schedule(this::tick, TICK_MS);
    }

    private void onForgery(BrokerEndpoint broker, String reason) {
        watch.forgery(nowMs());
        cdn.penalize(broker, reason);
    }

    private void onProbe() {
        watch.probeReturned(nowMs());
    }

    public Set<PeerKey> connectedPeers() {
        return mesh == null ? Set.of() : mesh.connectedPeers();
    }

    public PeerKey self() {
        return self;
    }

    /** The inbox given at construction (tests), or null when built over a custom sink. */
    public BoundedInbox<InboundMessage> inbox() {
        return inbox;
    }

    public Transport transport() {
        return transport;
    }

    public long brokerSends() {
        return (long) viaBroker.count();
    }

    public long directSends() {
        return (long) viaDirect.count();
    }

    @Override
    public void close() {
        cdn.close();
        if (mesh != null) {
            mesh.close();
        }
        transport.close();
    }
}
