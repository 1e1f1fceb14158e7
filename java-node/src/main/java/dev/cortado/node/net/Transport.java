package dev.cortado.node.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Netty plumbing shared by the direct mesh, the CDN client and the broker. */
public final class Transport implements AutoCloseable {
    private final TransportSettings settings;
    private final PeerCrypto crypto;
    private final TransportMetrics metrics;
    private final EventLoopGroup group;
    private final CopyOnWriteArrayList<Channel> servers = new CopyOnWriteArrayList<>();

    public Transport(TransportSettings settings, PeerCrypto crypto, MeterRegistry registry, int ioThreads) {
        this.settings = settings;
        this.crypto = crypto;
        this.metrics = new TransportMetrics(registry);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    }

    public TransportSettings settings() {
        return settings;
    }

    public PeerCrypto crypto() {
        return crypto;
    }

    public TransportMetrics metrics() {
        return metrics;
    }

    EventLoopGroup group() {
        return group;
    }

    /** Accepts connections on {@code host:port} (0 picks a free port) and returns the bound address. */
    public InetSocketAddress listen(String host, int port, PeerAuthorizer authorizer, SessionEvents events) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(initializer(authorizer, events));
        Channel ch = b.bind(host, port).syncUninterruptibly().channel();
        servers.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    /** Starts a connection; the session opens through {@code events.onOpen} after the handshake. */
    public ChannelFuture connect(InetSocketAddress address, PeerAuthorizer authorizer, SessionEvents events) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(initializer(authorizer, events));
        return b.connect(address);
    }

    /** Runs {@code task} after {@code delayMs} on a transport thread. */
    public void schedule(Runnable task, long delayMs) {
        if (!group.isShuttingDown()) {
            group.next().schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    public boolean isClosed() {
        return group.isShuttingDown();
    }

    private WriteBufferWaterMark waterMark() {
        int high = settings.writeHighWaterBytes();
        return new WriteBufferWaterMark(high / 2, high);
    }

    private ChannelInitializer<SocketChannel> initializer(PeerAuthorizer authorizer, SessionEvents events) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast(new IdleStateHandler(settings.silentPeerMs(), settings.keepAliveMs(), 0, TimeUnit.MILLISECONDS))
                        .addLast(new FlushConsolidationHandler(64, true))
                        .addLast(new FrameDecoder(settings.maxFrameBytes()))
                        .addLast(FrameEncoder.INSTANCE)
                        .addLast(new SessionHandler(Transport.this, authorizer, events));
            }
        };
    }

    /** Closes the listeners only; established sessions stay up (used to simulate a crashed server). */
    public void closeListeners() {
        for (Channel s : servers) {
            s.close().syncUninterruptibly();
        }
        servers.clear();
    }

    @Override
    public void close() {
        closeListeners();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
