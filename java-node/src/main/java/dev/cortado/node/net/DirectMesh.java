package dev.cortado.node.net;

import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full mesh of outbound connections, one per peer: a node sends on the connection it dialled
 * and receives on the connections its peers dialled, so every pair has a well-defined sender side
 * and reconnecting is the dialler's job alone. Lost connections are redialled with capped
 * exponential back-off.
 */
public final class DirectMesh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectMesh.class);
    static final long MIN_RECONNECT_MS = 50;
    static final long MAX_RECONNECT_MS = 1_000;

    private final Transport transport;
    private final Map<PeerKey, InetSocketAddress> peers;
    private final Map<PeerKey, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Map<PeerKey, Long> backoffMs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param peers every other node's key and listen address (the local node excluded) */
    public DirectMesh(Transport transport, Map<PeerKey, InetSocketAddress> peers) {
        this.transport = transport;
        this.peers = Map.copyOf(peers);
    }

    public void start() {
        peers.keySet().forEach(this::dial);
    }

    public boolean send(PeerKey to, byte[] payload) {
        PeerSession s = sessions.get(to);
        return s != null && s.send(payload);
    }

    /** Sends to every connected peer; returns how many accepted the message. */
    public int broadcast(byte[] payload) {
        int n = 0;
        for (PeerSession s : sessions.values()) {
            if (s.send(payload)) {
                n++;
            }
        }
        return n;
    }

    public Set<PeerKey> connectedPeers() {
        return sessions.entrySet().stream().filter(e -> e.getValue().isOpen())
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    public Set<PeerKey> peers() {
        return peers.keySet();
    }

    private void dial(PeerKey key) {
        if (closed || transport.isClosed()) {
            return;
        }
        InetSocketAddress address = peers.get(key);
        ChannelFuture f = transport.connect(address, PeerAuthorizer.exactly(key), new OutboundEvents(key));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                redial(key);
            } else {
                f.channel().closeFuture().addListener(c -> redial(key));
            }
        });
    }

    private void redial(PeerKey key) {
        if (closed) {
            return;
        }
        long delay = backoffMs.merge(key, MIN_RECONNECT_MS, (old, min) -> Math.min(MAX_RECONNECT_MS, old * 2));
        transport.schedule(() -> dial(key), delay);
    }

    @Override
    public void close() {
        closed = true;
        sessions.values().forEach(PeerSession::close);
        sessions.clear();
    }

    private final class OutboundEvents implements SessionEvents {
        private final PeerKey key;

        OutboundEvents(PeerKey key) {
            this.key = key;
        }

        @Override
        public void onOpen(PeerSession session) {
            LOG.debug("mesh connected to {}", session);
            backoffMs.remove(key);
            PeerSession previous = sessions.put(key, session);
            if (previous != null && previous != session) {
                previous.close();
            }
        }

        @Override
        public boolean onMessage(PeerSession session, byte[] payload) {
            // Peers send on their own outbound connections; anything arriving here is ignored.
            return true;
        }

        @Override
        public void whenSpace(Runnable wake) {
            wake.run();
        }

        @Override
        public void onClosed(PeerSession session, String reason) {
            sessions.remove(key, session);
        }
    }
}
