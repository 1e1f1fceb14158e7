package dev.cortado.node.net;

import io.netty.channel.Channel;
import java.net.SocketAddress;

/** An authenticated connection to one peer. {@link #send} is safe from any thread. */
public final class PeerSession {
    private final Channel channel;
    private final SessionHandler handler;
    private final PeerKey remoteKey;

    PeerSession(Channel channel, SessionHandler handler, PeerKey remoteKey) {
        this.channel = channel;
        this.handler = handler;
        this.remoteKey = remoteKey;
    }

    public PeerKey remoteKey() {
        return remoteKey;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    /**
     * Queues {@code payload} for the peer, after every payload queued before it on this session.
     * Returns false when the connection is closed or so far behind that the bytes queued and not yet
     * written would exceed the hard limit; the caller counts that as a drop.
     */
    public boolean send(byte[] payload) {
        return handler.send(payload);
    }

    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "PeerSession[" + remoteKey.shortHex() + "@" + channel.remoteAddress() + "]";
    }
}
