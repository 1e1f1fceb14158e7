package dev.cortado.node.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands each request of one connection to a worker pool, one at a time and in arrival order, so a
 * pipelining client gets its answers in order while the I/O thread never runs a request itself.
 * Every field is touched only on the channel's event loop.
 */
final class ApiChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Pipelined requests held per connection; beyond this the socket stops being read until they drain. */
    static final int MAX_PIPELINED = 16;

    private final HttpApiServer server;
    private final ApiHandler handler;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean streaming;

    ApiChannelHandler(HttpApiServer server) {
        super(false); // requests are released after a worker has answered them
        this.server = server;
        this.handler = new ApiHandler(server);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (streaming) {
            req.release(); // an event stream is one-way; anything the client sends on it is ignored
            return;
        }
        waiting.add(req);
        if (waiting.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
        if (busy || waiting.isEmpty()) {
            return;
        }
        FullHttpRequest req = waiting.poll();
        if (!ctx.channel().config().isAutoRead() && waiting.size() < MAX_PIPELINED / 2) {
            ctx.channel().config().setAutoRead(true);
        }
        ExecutorService pool = ApiHandler.mayRetrievePayload(req.uri()) ? server.readers : server.workers;
        busy = true;
        try {
            pool.execute(() -> {
                boolean stream = false;
                try {
                    stream = handler.handle(ctx, req);
                } finally {
                    req.release();
                    boolean startedStream = stream;
                    ctx.executor().execute(() -> done(ctx, startedStream));
                }
            });
        } catch (RejectedExecutionException full) {
            req.release();
            busy = false;
            server.count("overloaded", HttpResponseStatus.SERVICE_UNAVAILABLE.code());
            ApiHandler.writeError(ctx, server.json, new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                    "every API worker is busy and " + server.settings.maxQueuedRequests() + " requests are queued; retry later"),
                    HttpUtil.isKeepAlive(req));
            next(ctx);
        }
    }

    private void done(ChannelHandlerContext ctx, boolean startedStream) {
        busy = false;
        if (startedStream) {
            streaming = true;
            waiting.forEach(FullHttpRequest::release);
            waiting.clear();
            ctx.channel().config().setAutoRead(true);
            return;
        }
        next(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
