package dev.cortado.node.testing;

import dev.cortado.node.cdn.CdnCodec;
import dev.cortado.node.cdn.CdnMessage;
import dev.cortado.node.cdn.Topic;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.PeerSession;
import dev.cortado.node.net.SessionEvents;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.protocol.crypto.BlsKeyPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker that lies, for tests: it authenticates like a real one and its transport keeps every
 * session alive with pings, but it can stop relaying ({@link Mode#MUTE}) or stamp one node's
 * messages with another node's key ({@link Mode#FORGE}). Written against the wire protocol (CDN
 * codec over the real transport), not by subclassing the production broker.
 */
public final class RogueBroker implements AutoCloseable {
    public enum Mode {
        /** Relays honestly. */
        RELAY,
        /** Accepts everything and relays nothing. */
        MUTE,
        /** Relays, but delivers what {@code forgeFrom} sends as if {@code forgeAs} had sent it. */
        FORGE
    }

    private final Transport transport;
    private final PeerAuthorizer nodes;
    private final Map<PeerKey, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Map<PeerKey, Set<Topic>> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong forged = new AtomicLong();
    private volatile Mode mode;
    private volatile PeerKey forgeFrom;
    private volatile PeerKey forgeAs;
    private InetSocketAddress address;

    public RogueBroker(long chainId, BlsKeyPair key, Set<PeerKey> stake, Mode mode) {
        this.transport = new Transport(TransportSettings.defaults(TransportSettings.chainIdWord(chainId)), new BlsPeerCrypto(key),
                new SimpleMeterRegistry(), 1);
        this.nodes = PeerAuthorizer.anyOf(stake);
        this.mode = mode;
    }

    public InetSocketAddress start(int port) {
        address = transport.listen("127.0.0.1", port, nodes, new Events());
        return address;
    }

    public InetSocketAddress address() {
        return address;
    }

    public PeerKey key() {
        return transport.crypto().localKey();
    }

    public void mode(Mode m) {
        this.mode = m;
    }

    public void forge(PeerKey from, PeerKey as) {
        this.forgeFrom = from;
        this.forgeAs = as;
        this.mode = Mode.FORGE;
    }

    public Set<PeerKey> sessions() {
        return Set.copyOf(sessions.keySet());
    }

    public long relayed() {
        return relayed.get();
    }

    public long forged() {
        return forged.get();
    }

    private PeerKey stamp(PeerKey sender) {
        if (mode == Mode.FORGE && sender.equals(forgeFrom)) {
            forged.incrementAndGet();
            return forgeAs;
        }
        return sender;
    }

    private void onMessage(PeerSession from, byte[] payload) {
        CdnMessage m = CdnCodec.decode(payload);
        if (m instanceof CdnMessage.Subscribe s) {
            subscriptions.put(from.remoteKey(), s.topics());
            return;
        }
        if (mode == Mode.MUTE) {
            return;
        }
        switch (m) {
            case CdnMessage.Broadcast b -> {
                byte[] deliver = CdnCodec.encode(new CdnMessage.Deliver(stamp(from.remoteKey()), b.payload()));
                for (Map.Entry<PeerKey, Set<Topic>> e : subscriptions.entrySet()) {
                    PeerSession to = sessions.get(e.getKey());
                    if (to != null && to != from && e.getValue().contains(b.topic()) && to.send(deliver)) {
                        relayed.incrementAndGet();
                    }
                }
            }
            case CdnMessage.Direct d -> {
                PeerSession to = sessions.get(d.recipient());
                if (to != null && to.send(CdnCodec.encode(new CdnMessage.Deliver(stamp(from.remoteKey()), d.payload())))) {
                    relayed.incrementAndGet();
                }
            }
            default -> from.close();
        }
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
                previous.close();
            }
        }

        @Override
        public boolean onMessage(PeerSession session, byte[] payload) {
            RogueBroker.this.onMessage(session, payload);
            return true;
        }

        @Override
        public void whenSpace(Runnable wake) {
            wake.run();
        }

        @Override
        public void onClosed(PeerSession session, String reason) {
            if (sessions.remove(session.remoteKey(), session)) {
                subscriptions.remove(session.remoteKey());
            }
        }
    }
}
