package dev.cortado.node.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's handshake and session state. Both sides send HELLO with a fresh nonce, then
 * AUTH: a signature over the other side's nonce, its own nonce and its key. Only after a valid
 * AUTH from an authorized key do DATA frames flow, each with a sequence number exactly one above
 * the previous, so a replayed or reordered frame ends the session.
 *
 * <p>Outbound DATA goes through one FIFO queue per session. The first frame of a burst schedules a
 * single drain task on the channel's event loop; later frames only join the queue, and the drain
 * writes them all and flushes once. Sequence numbers are assigned by the drain, on the event loop,
 * so they follow queue order.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Length, version, kind and sequence in front of a DATA payload. */
    private static final int DATA_FRAME_OVERHEAD_BYTES = 4 + 1 + 1 + 8;

    private enum State { AWAIT_HELLO, AWAIT_AUTH, OPEN, CLOSED }

    private final Transport transport;
    private final PeerAuthorizer authorizer;
    private final SessionEvents events;
    private final byte[] localNonce = new byte[32];
    private final ArrayDeque<byte[]> stalled = new ArrayDeque<>();
    private final Queue<byte[]> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicLong outboundBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    // Written on the event loop, read by senders on any thread.
    private volatile State state = State.AWAIT_HELLO;
    private Channel channel;
    private PeerKey remoteKey;
    private byte[] remoteNonce;
    private PeerSession session;
    private long lastInboundSequence;
    private long nextOutboundSequence = 1;
    private String closeReason = "closed";
    private ScheduledFuture<?> handshakeTimer;

    SessionHandler(Transport transport, PeerAuthorizer authorizer, SessionEvents events) {
        this.transport = transport;
        this.authorizer = authorizer;
        this.events = events;
        RANDOM.nextBytes(localNonce);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        long timeoutMs = transport.settings().handshakeTimeoutMs();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (state != State.OPEN) {
                refuse("handshake timeout");
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(new WireMessage.Hello(transport.settings().chainId(), localNonce, transport.crypto().localKey()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.CLOSED) {
            return;
        }
        switch ((WireMessage) msg) {
            case WireMessage.Hello h -> onHello(ctx, h);
            case WireMessage.Auth a -> onAuth(a);
            case WireMessage.Data d -> onData(d);
            case WireMessage.Ping p -> {
                if (state != State.OPEN) {
                    refuse("PING before handshake");
                }
            }
        }
    }

    private void onHello(ChannelHandlerContext ctx, WireMessage.Hello hello) {
        if (state != State.AWAIT_HELLO) {
            refuse("unexpected HELLO");
            return;
        }
        if (!Arrays.equals(hello.chainId(), transport.settings().chainId())) {
            refuse("chain id mismatch");
            return;
        }
        if (!authorizer.isAuthorized(hello.publicKey())) {
            refuse("unauthorized key");
            return;
        }
        remoteKey = hello.publicKey();
        remoteNonce = hello.nonce();
        state = State.AWAIT_AUTH;
        byte[] digest = HandshakeDigest.compute(transport.settings().chainId(), remoteNonce, localNonce, transport.crypto().localKey());
        ctx.writeAndFlush(new WireMessage.Auth(transport.crypto().sign(digest)));
    }

    private void onAuth(WireMessage.Auth auth) {
        if (state != State.AWAIT_AUTH) {
            refuse("unexpected AUTH");
            return;
        }
        byte[] digest = HandshakeDigest.compute(transport.settings().chainId(), localNonce, remoteNonce, remoteKey);
        if (!transport.crypto().verify(remoteKey, digest, auth.signature())) {
            refuse("bad handshake signature");
            return;
        }
        state = State.OPEN;
        handshakeTimer.cancel(false);
        session = new PeerSession(channel, this, remoteKey);
        transport.metrics().sessionOpened();
        events.onOpen(session);
    }

    private void onData(WireMessage.Data data) {
        if (state != State.OPEN) {
            refuse("DATA before handshake");
            return;
        }
        if (data.sequence() != lastInboundSequence + 1) {
            refuse("replayed or out-of-order sequence " + data.sequence() + " after " + lastInboundSequence);
            return;
        }
        lastInboundSequence = data.sequence();
        transport.metrics().received(data.payload().length);
        if (!stalled.isEmpty() || !events.onMessage(session, data.payload())) {
            stalled.add(data.payload());
            if (channel.config().isAutoRead()) {
                channel.config().setAutoRead(false);
                transport.metrics().paused();
                events.whenSpace(() -> channel.eventLoop().execute(this::drainStalled));
            }
        }
    }

    private void drainStalled() {
        while (!stalled.isEmpty() && state == State.OPEN) {
            if (!events.onMessage(session, stalled.peek())) {
                events.whenSpace(() -> channel.eventLoop().execute(this::drainStalled));
                return;
            }
            stalled.poll();
        }
        channel.config().setAutoRead(true);
        channel.read();
    }

    boolean send(byte[] payload) {
        if (state == State.CLOSED || !channel.isActive()) {
            return false;
        }
        // The hard limit covers frames still in this queue as well as those Netty holds unwritten:
        // a peer that does not keep up, or a stalled event loop, cannot grow memory past it.
        long frameBytes = frameBytes(payload);
        long queued = outboundBytes.addAndGet(frameBytes);
        ChannelOutboundBuffer unwritten = channel.unsafe().outboundBuffer();
        long inNetty = unwritten == null ? 0 : unwritten.totalPendingWriteBytes();
        if (queued + inNetty > transport.settings().maxPendingWriteBytes()) {
            outboundBytes.addAndGet(-frameBytes);
            transport.metrics().droppedOutbound();
            return false;
        }
        outbound.add(payload);
        if (drainScheduled.compareAndSet(false, true)) {
            if (channel.eventLoop().inEventLoop()) {
                drainOutbound();
            } else {
                transport.metrics().outboundHandoff();
                try {
                    channel.eventLoop().execute(this::drainOutbound);
                } catch (RejectedExecutionException shutDown) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long frameBytes(byte[] payload) {
        return payload.length + DATA_FRAME_OVERHEAD_BYTES;
    }

    private void drainOutbound() {
        // Cleared before polling: a frame queued after the last poll below then schedules its own drain.
        drainScheduled.set(false);
        int written = 0;
        for (byte[] payload = outbound.poll(); payload != null; payload = outbound.poll()) {
            if (state == State.OPEN) {
                transport.metrics().sent(payload.length);
                channel.write(new WireMessage.Data(nextOutboundSequence++, payload), channel.voidPromise());
                written++;
            }
            // Released after the write, so Netty's buffer counts the frame before this queue stops counting it.
            outboundBytes.addAndGet(-frameBytes(payload));
        }
        if (written > 0) {
            transport.metrics().outboundFlush();
            channel.flush();
        }
    }

    private void refuse(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        LOG.info("refusing peer {} ({}): {}", channel == null ? "?" : channel.remoteAddress(),
                remoteKey == null ? "unauthenticated" : remoteKey.shortHex(), reason);
        transport.metrics().refused(reason);
        closeReason = reason;
        close();
    }

    private void close() {
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        stalled.clear();
        drainOutbound(); // discards what is queued: nothing is written once closed
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
        if (wasOpen) {
            events.onClosed(session, closeReason);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            // While paused for back-pressure nothing is read on purpose; that is not silence. Before the
            // session opens the handshake timeout applies instead (a cold JVM may verify slowly).
            if (idle.state() == IdleState.READER_IDLE && state == State.OPEN && channel.config().isAutoRead()) {
                LOG.info("closing silent peer {} ({})", channel.remoteAddress(), remoteKey == null ? "unauthenticated" : remoteKey.shortHex());
                closeReason = "peer silent";
                close();
            } else if (idle.state() == IdleState.WRITER_IDLE && state == State.OPEN) {
                ctx.writeAndFlush(WireMessage.Ping.INSTANCE, ctx.voidPromise());
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof WireFormatException)) {
            root = root.getCause();
        }
        if (root instanceof WireFormatException w) {
            refuse("malformed frame: " + w.getMessage());
        } else {
            LOG.debug("connection error from {}", ctx.channel().remoteAddress(), cause);
            closeReason = "io error: " + cause.getMessage();
            close();
        }
    }
}
