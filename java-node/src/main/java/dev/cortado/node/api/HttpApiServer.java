package dev.cortado.node.api;

import io.micrometer.core.instrument.Counter;
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
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's HTTP/JSON API on Netty: submission, status, blocks, namespaces with proofs,
 * transactions, a resumable server-sent-events stream of decided blocks, Prometheus metrics and
 * the OpenAPI document. Request bodies above {@code maxRequestBytes} are refused with 413. Requests
 * run on worker pools ({@link ApiSettings}); the Netty threads only move bytes.
 */
public final class HttpApiServer implements AutoCloseable {
    /** Concurrent block streams; more are refused with 429 so slow readers cannot pile up. */
    static final int MAX_STREAMS = 256;

    final ApiBackend backend;
    final PrometheusMeterRegistry registry;
    final JsonMapper json;
    final Set<BlockStream> streams = ConcurrentHashMap.newKeySet();
    final ApiSettings settings;
    /** Submissions, status, blocks and block streams. */
    final ExecutorService workers;
    /** Namespace and transaction reads, which may wait seconds on a payload retrieval. */
    final ExecutorService readers;
    private final int maxRequestBytes;
    /** The sequencing-rights check; null while the node does not follow L1 (every namespace open). */
    volatile MarketGate marketGate;
    /** The confirmation levels of {@code /v0/tx}, {@code /v0/block} and the block stream. */
    final Confirmations confirmations;
    /** Submit requests answered 429 {@code backlog} (client pushback; see {@link ApiBackend#backlogRefusal}). */
    final Counter backlogRefused;
    private final EventLoopGroup group;
    private Channel server;

    public HttpApiServer(ApiBackend backend, PrometheusMeterRegistry registry, int maxRequestBytes, int ioThreads) {
        this(backend, registry, new ApiSettings(maxRequestBytes, ioThreads, ApiSettings.defaultWorkerThreads(),
                ApiSettings.DEFAULT_READ_THREADS, ApiSettings.DEFAULT_MAX_QUEUED));
    }

    public HttpApiServer(ApiBackend backend, PrometheusMeterRegistry registry, ApiSettings settings) {
        this.backend = backend;
        this.registry = registry;
        this.settings = settings;
        this.maxRequestBytes = settings.maxRequestBytes();
        this.workers = pool("api-worker-", settings.workerThreads(), settings.maxQueuedRequests());
        this.readers = pool("api-reader-", settings.readThreads(), settings.maxQueuedRequests());
        this.json = NamespaceJson.register(JsonMapper.builder())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        this.confirmations = new Confirmations(backend);
        this.backlogRefused = Counter.builder("cortado_submit_backlog_refused_total")
                .description("submit requests refused with 429 because the node's undecided backlog was at its limit")
                .register(registry);
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), NioIoHandler.newFactory());
        backend.onDecided(() -> streams.forEach(BlockStream::wake));
    }

    /** Installs the sequencing-rights check for submissions and enables {@code POST /v0/submit/bundle}. */
    public void marketGate(MarketGate gate) {
        this.marketGate = gate;
    }

    /** Installs what the pre-confirmed and L1-final levels read (the bundle pool, LightClient.sol via the follower). */
    public void confirmations(ConfirmationSource source) {
        confirmations.install(source);
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
                                .addLast(new ApiChannelHandler(HttpApiServer.this));
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
        workers.shutdownNow();
        readers.shutdownNow();
    }

    void count(String route, int status) {
        registry.counter("cortado.api.requests", "route", route, "status", Integer.toString(status)).increment();
    }

    /** A fixed pool with a bounded queue: when it is full, callers get RejectedExecutionException (answered 503). */
    private static ExecutorService pool(String name, int threads, int maxQueued) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued), factory,
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Answers an oversized body with the API's JSON error shape instead of an empty 413. Closing at
     * once would race the client, which is still sending: its unsent bytes meet a closed socket, the
     * kernel resets the connection and the client reads "connection reset" instead of the 413. So a
     * keep-alive request with a declared length up to {@link #discardLimitBytes} keeps its connection;
     * the aggregator drops the rest of the body unbuffered and the next request is served as usual.
     * Bodies declared beyond that (or without a length) are not worth the bandwidth: answer and close.
     */
    private final class JsonErrorAggregator extends HttpObjectAggregator {
        JsonErrorAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            long declared = HttpUtil.getContentLength(oversized, -1L);
            boolean drain = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized)
                    && declared >= 0 && declared <= discardLimitBytes(maxRequestBytes);
            ApiHandler.writeError(ctx, json, new ApiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                    "request body exceeds " + maxRequestBytes + " bytes"), drain);
        }
    }

    /** The largest refused body the server still reads to its end to keep the connection: 16 limits, at least 1 MiB. */
    static long discardLimitBytes(int maxRequestBytes) {
        return Math.max(16L * maxRequestBytes, 1L << 20);
    }
}
