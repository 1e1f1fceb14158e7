package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerCrypto;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.PeerSession;
import dev.cortado.node.net.SessionEvents;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.net.WireFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDN broker: relays topic broadcasts and direct messages between the nodes connected to it.
 * Nodes authenticate with their staked BLS keys; the broker stamps each relayed message with the
 * authenticated sender, so a node cannot speak for another. Embeddable ({@link #start}) and run
 * standalone by {@code cortado broker}.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Transport transport;
    private final PeerAuthorizer nodes;
    private final Map<PeerKey, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Map<PeerSession, Set<Topic>> subscriptions = new ConcurrentHashMap<>();
    private final Counter relayed;
    private final Counter undeliverable;
    private InetSocketAddress address;

    public Broker(TransportSettings settings, PeerCrypto brokerKey, PeerAuthorizer nodes, MeterRegistry registry, int ioThreads) {
        this.transport = new Transport(settings, brokerKey, registry, ioThreads);
        this.nodes = nodes;
        this.relayed = registry.counter("cortado.broker.relayed");
        this.undeliverable = registry.counter("cortado.broker.undeliverable");
    }

    public InetSocketAddress start(String host, int port) {
        address = transport.listen(host, port, nodes, new Events());
        LOG.info("broker {} listening on {}", transport.crypto().localKey().shortHex(), address);
        return address;
    }

    public InetSocketAddress address() {
        return address;
    }

    public PeerKey key() {
        return transport.crypto().localKey();
    }

    public Set<PeerKey> connectedNodes() {
        return Set.copyOf(sessions.keySet());
    }

    /** Nodes whose topic subscription this broker has processed: only they receive broadcasts. */
    public Set<PeerKey> subscribedNodes() {
        return subscriptions.keySet().stream().map(PeerSession::remoteKey).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public long relayedCount() {
        return (long) relayed.count();
    }

    public Transport transport() {
        return transport;
    }

    private void onMessage(PeerSession from, byte[] payload) {
        CdnMessage m;
        try {
            m = CdnCodec.decode(payload);
        } catch (WireFormatException e) {
            LOG.info("closing {}: {}", from, e.getMessage());
            from.close();
            return;
        }
        switch (m) {
            case CdnMessage.Subscribe s -> subscriptions.put(from, s.topics());
            case CdnMessage.Broadcast b -> {
                byte[] deliver = CdnCodec.encode(new CdnMessage.Deliver(from.remoteKey(), b.payload()));
                for (Map.Entry<PeerSession, Set<Topic>> e : subscriptions.entrySet()) {
                    if (e.getKey() != from && e.getValue().contains(b.topic())) {
                        count(e.getKey().send(deliver));
                    }
                }
            }
            case CdnMessage.Direct d -> {
                PeerSession to = sessions.get(d.recipient());
                count(to != null && to.send(CdnCodec.encode(new CdnMessage.Deliver(from.remoteKey(), d.payload()))));
            }
            case CdnMessage.Deliver d -> {
                LOG.info("closing {}: nodes may not send DELIVER", from);
                from.close();
            }
        }
    }

    private void count(boolean delivered) {
        (delivered ? relayed : undeliverable).increment();
    }

    @Override
    public void close() {
        transport.close();
    }

    private final class Events implements SessionEvents {
        @Override
        public void onOpen(PeerSession session) {
            PeerSession previous = sessions.put(session.remoteKey(), session);
            if (previous != null && previous != session) {
                subscriptions.remove(previous);
                previous.close();
            }
        }

        @Override
        public boolean onMessage(PeerSession session, byte[] payload) {
            Broker.this.onMessage(session, payload);
            return true;
        }

        @Override
        public void whenSpace(Runnable wake) {
            wake.run();
        }

        @Override
        public void onClosed(PeerSession session, String reason) {
            sessions.remove(session.remoteKey(), session);
            subscriptions.remove(session);
        }
    }
}
