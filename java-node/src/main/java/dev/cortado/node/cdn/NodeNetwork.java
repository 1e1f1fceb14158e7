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
 * Messages go through a broker while one is up and fall back to direct sends the moment none is
 * (a broker that dies closes its sockets at once; one that hangs is declared dead after the
 * transport's silence limit, 800 ms by default). Every inbound path lands in one bounded inbox.
 */
public final class NodeNetwork implements AutoCloseable {
    private final Transport transport;
    private final PeerKey self;
    private final Set<PeerKey> daMembers;
    private final BoundedInbox<InboundMessage> inbox;
    private final InboundSink sink;
    private final InboxEvents inboxEvents;
    private final PeerAuthorizer staked;
    private final boolean useBrokers;
    private final CdnClient cdn;
    private final Counter viaBroker;
    private final Counter viaDirect;
    private DirectMesh mesh;

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
        this.cdn = new CdnClient(transport, brokers, topics, sink);
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
        }
    }

    public void broadcast(Topic topic, byte[] payload) {
        if (useBrokers && cdn.broadcast(topic, payload)) {
            viaBroker.increment();
            return;
        }
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
        if (useBrokers && cdn.direct(to, payload)) {
            viaBroker.increment();
            return true;
        }
        viaDirect.increment();
        return mesh.send(to, payload);
    }

    /** Sends only on the direct mesh (catch-up replies go back the way the request's sender dialled). */
    public boolean sendDirect(PeerKey to, byte[] payload) {
        return mesh.send(to, payload);
    }

    public Optional<BrokerEndpoint> activeBroker() {
        return useBrokers ? cdn.activeBroker() : Optional.empty();
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
