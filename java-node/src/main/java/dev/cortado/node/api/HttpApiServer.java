package dev.cortado.node.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's HTTP/JSON API on Netty: submission, status, blocks, namespaces with proofs,
 * transactions, a resumable server-sent-events stream of decided blocks, Prometheus metrics and
 * the OpenAPI document. Request bodies above {@code maxRequestBytes} are refused with 413.
 */
public final class HttpApiServer implements AutoCloseable {
    /** Concurrent block streams; more are refused with 429 so slow readers cannot pile up. */
    static final int MAX_STREAMS = 256;

    final ApiBackend backend;
    final PrometheusMeterRegistry registry;
    final JsonMapper json;
    final Set<BlockStream> streams = ConcurrentHashMap.newKeySet();
    private final int maxRequestBytes;
    private final EventLoopGroup group;
    private Channel server;

    public HttpApiServer(ApiBackend backend, PrometheusMeterRegistry registry, int maxRequestBytes, int ioThreads) {
        this.backend = backend;
        this.registry = registry;
        this.maxRequestBytes = maxRequestBytes;
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        backend.onDecided(() -> streams.forEach(BlockStream::wake));
    }

    public InetSocketAddress start(String host, int port) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new JsonErrorAggregator(maxRequestBytes))
                                .addLast(new ApiHandler(HttpApiServer.this));
                    }
                });
        server = b.bind(host, port).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers an oversized body with the API's JSON error shape instead of an empty 413. */
    private final class JsonErrorAggregator extends HttpObjectAggregator {
        JsonErrorAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ApiHandler.writeError(ctx, json, new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                    "request body exceeds " + maxRequestBytes + " bytes"), false);
        }
    }
}
