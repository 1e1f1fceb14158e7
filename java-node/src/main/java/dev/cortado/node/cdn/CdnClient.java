package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.PeerSession;
import dev.cortado.node.net.SessionEvents;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.WireFormatException;
import io.netty.channel.ChannelFuture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's side of the CDN: it keeps a session to every configured broker it can reach and sends
 * through the first one in list order that is up, so nodes with the same list converge on the
 * same broker. Deliveries from any broker go to {@link Deliveries}, which checks their origin.
 */
public final class CdnClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdnClient.class);
    private static final long MIN_RECONNECT_MS = 50;
    private static final long MAX_RECONNECT_MS = 500;

    private final Transport transport;
    private final List<BrokerEndpoint> brokers;
    private final Set<Topic> topics;
    private final Deliveries inbox;
    private final Map<BrokerEndpoint, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Map<BrokerEndpoint, Long> backoffMs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Where DELIVER payloads go, with the broker that relayed them. */
    public interface Deliveries {
        /** False when full; the session stops reading and retries after {@link #whenSpace}. */
        boolean onDeliver(BrokerEndpoint broker, PeerKey sender, byte[] payload);

        void whenSpace(Runnable wake);
    }

    public CdnClient(Transport transport, List<BrokerEndpoint> brokers, Set<Topic> topics, Deliveries inbox) {
        this.transport = transport;
        this.brokers = List.copyOf(brokers);
        this.topics = Set.copyOf(topics);
        this.inbox = inbox;
    }

    public void start() {
        brokers.forEach(this::dial);
    }

    /** The broker messages go through now, if any is reachable. */
    public Optional<BrokerEndpoint> activeBroker() {
        for (BrokerEndpoint b : brokers) {
            PeerSession s = sessions.get(b);
            if (s != null && s.isOpen()) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    public boolean broadcast(Topic topic, byte[] payload) {
        return sendVia(CdnCodec.encode(new CdnMessage.Broadcast(topic, payload)));
    }

    public boolean direct(PeerKey to, byte[] payload) {
        return sendVia(CdnCodec.encode(new CdnMessage.Direct(to, payload)));
    }

    /**
     * Closes the session to a broker that misbehaved and redials it no sooner than the longest
     * back-off, so each of its lies costs this node at most one check per reconnect.
     */
    public void penalize(BrokerEndpoint broker, String reason) {
        backoffMs.put(broker, MAX_RECONNECT_MS);
        PeerSession s = sessions.get(broker);
        if (s != null) {
            LOG.warn("closing broker {}: {}", broker.address(), reason);
            s.close();
        }
    }

    private boolean sendVia(byte[] message) {
        for (BrokerEndpoint b : brokers) {
            PeerSession s = sessions.get(b);
            if (s != null && s.isOpen() && s.send(message)) {
                return true;
            }
        }
        return false;
    }

    private void dial(BrokerEndpoint broker) {
        if (closed || transport.isClosed()) {
            return;
        }
        ChannelFuture f = transport.connect(broker.address(), PeerAuthorizer.exactly(broker.key()), new Events(broker));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                redial(broker);
            } else {
                f.channel().closeFuture().addListener(c -> redial(broker));
            }
        });
    }

    private void redial(BrokerEndpoint broker) {
        if (closed) {
            return;
        }
        long delay = backoffMs.merge(broker, MIN_RECONNECT_MS, (old, min) -> Math.min(MAX_RECONNECT_MS, old * 2));
        transport.schedule(() -> dial(broker), delay);
    }

    @Override
    public void close() {
        closed = true;
        sessions.values().forEach(PeerSession::close);
    }

    private final class Events implements SessionEvents {
        private final BrokerEndpoint broker;

        Events(BrokerEndpoint broker) {
            this.broker = broker;
        }

        @Override
        public void onOpen(PeerSession session) {
            // A penalized broker keeps its long back-off for one more round.
            backoffMs.computeIfPresent(broker, (b, ms) -> ms >= MAX_RECONNECT_MS ? MAX_RECONNECT_MS / 2 : null);
            session.send(CdnCodec.encode(new CdnMessage.Subscribe(topics)));
            sessions.put(broker, session);
            LOG.info("connected to broker {}", broker.address());
        }

        @Override
        public boolean onMessage(PeerSession session, byte[] payload) {
            CdnMessage m;
            try {
                m = CdnCodec.decode(payload);
            } catch (WireFormatException e) {
                LOG.info("closing broker {}: {}", broker.address(), e.getMessage());
                session.close();
                return true;
            }
            return switch (m) {
                case CdnMessage.Deliver d -> inbox.onDeliver(broker, d.sender(), d.payload());
                case CdnMessage.Subscribe s -> protocolViolation(session);
                case CdnMessage.Broadcast b -> protocolViolation(session);
                case CdnMessage.Direct d -> protocolViolation(session);
            };
        }

        private boolean protocolViolation(PeerSession session) {
            LOG.info("closing broker {}: brokers only send DELIVER", broker.address());
            session.close();
            return true;
        }

        @Override
        public void whenSpace(Runnable wake) {
            inbox.whenSpace(wake);
        }

        @Override
        public void onClosed(PeerSession session, String reason) {
            sessions.remove(broker, session);
            LOG.info("lost broker {}: {}", broker.address(), reason);
        }
    }
}
