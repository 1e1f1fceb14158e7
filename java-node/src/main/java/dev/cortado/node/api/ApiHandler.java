package dev.cortado.node.api;

import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.NamespaceBinary;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.types.Bytes32;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes one HTTP request, on a worker thread (see {@link ApiChannelHandler}). Errors are JSON
 * {@code {error, detail}} with a 4xx status.
 */
final class ApiHandler {
    private static final Pattern BLOCK = Pattern.compile("/v0/block/([^/]+)");
    private static final Pattern NAMESPACE = Pattern.compile("/v0/block/([^/]+)/namespace/([^/]+)");
    private static final Pattern TX = Pattern.compile("/v0/tx/([^/]+)");
    private static final Pattern BUNDLE = Pattern.compile("/v0/bundle/([^/]+)");
    private static final Pattern LIGHT_CLIENT = Pattern.compile("/v0/light-client/([^/]+)");
    private static final Pattern EPOCH = Pattern.compile("/v0/epoch/([^/]+)");
    private static final byte[] OPENAPI = loadOpenApi();

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final HttpApiServer server;
    private final SubmitRoutes submits;

    ApiHandler(HttpApiServer server) {
        this.server = server;
        this.submits = new SubmitRoutes(server);
    }

    /** Whether a request may have to fetch a payload from peers, which can take seconds. */
    static boolean mayRetrievePayload(String uri) {
        String path = new QueryStringDecoder(uri).path();
        return NAMESPACE.matcher(path).matches() || TX.matcher(path).matches() || BUNDLE.matcher(path).matches();
    }

    /** Answers {@code req}; returns whether it started an event stream that now owns the connection. */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        String route = "unknown";
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            if (!req.decoderResult().isSuccess()) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_request", "cannot parse the HTTP request");
            }
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            Matcher m;
            if (path.equals("/v0/submit/bundle")) {
                route = "submit_bundle";
                requireMethod(req, HttpMethod.POST);
                writeJson(ctx, HttpResponseStatus.OK, submits.bundle(req), keepAlive);
            } else if (path.equals("/v0/submit/binary")) {
                route = "submit_binary";
                requireMethod(req, HttpMethod.POST);
                writeJson(ctx, HttpResponseStatus.OK, submits.binary(req), keepAlive);
            } else if (path.equals("/v0/submit/batch")) {
                route = "submit_batch";
                requireMethod(req, HttpMethod.POST);
                writeJson(ctx, HttpResponseStatus.OK, submits.batch(req), keepAlive);
            } else if (path.equals("/v0/submit")) {
                route = "submit";
                requireMethod(req, HttpMethod.POST);
                writeJson(ctx, HttpResponseStatus.OK, submits.single(req), keepAlive);
            } else if (path.equals("/v0/status")) {
                route = "status";
                requireMethod(req, HttpMethod.GET);
                writeJson(ctx, HttpResponseStatus.OK, server.backend.status(), keepAlive);
            } else if ((m = NAMESPACE.matcher(path)).matches()) {
                route = "namespace";
                requireMethod(req, HttpMethod.GET);
                long height = parseHeight(m.group(1));
                long ns = parseNamespace(m.group(2));
                NamespaceProof proof = found(server.backend.namespace(height, ns), "no decided block at height " + height);
                if (acceptsBinary(req)) {
                    write(ctx, HttpResponseStatus.OK, NamespaceBinary.MEDIA_TYPE, NamespaceBinary.encode(height, proof), keepAlive);
                } else {
                    writeJson(ctx, HttpResponseStatus.OK, NamespaceAnswer.of(height, proof), keepAlive);
                }
            } else if ((m = BLOCK.matcher(path)).matches()) {
                route = "block";
                requireMethod(req, HttpMethod.GET);
                long height = parseHeight(m.group(1));
                List<String> certified = uri.parameters().get("certifiedHeight");
                Optional<Long> at = certified == null || certified.isEmpty() ? Optional.empty()
                        : Optional.of(parseHeight(certified.getFirst()));
                writeJson(ctx, HttpResponseStatus.OK, found(server.backend.block(height, at).map(this::withLevel),
                        "no decided block at height " + height), keepAlive);
            } else if ((m = LIGHT_CLIENT.matcher(path)).matches()) {
                route = "light_client";
                requireMethod(req, HttpMethod.GET);
                Optional<Long> at = m.group(1).equals("latest") ? Optional.empty() : Optional.of(parseHeight(m.group(1)));
                writeJson(ctx, HttpResponseStatus.OK, found(server.backend.lightClient(at),
                        at.map(h -> "no light-client certificate for height " + h).orElse("no light-client certificate yet")), keepAlive);
            } else if ((m = EPOCH.matcher(path)).matches()) {
                route = "epoch";
                requireMethod(req, HttpMethod.GET);
                long epoch = parseEpoch(m.group(1));
                Object answer = switch (server.backend.epoch(epoch)) {
                    case ApiBackend.EpochLookup.Found f -> f.answer();
                    case ApiBackend.EpochLookup.Missing missing -> throw new ApiError(HttpResponseStatus.NOT_FOUND,
                            "not_found", missing.reason());
                };
                writeJson(ctx, HttpResponseStatus.OK, answer, keepAlive);
            } else if ((m = TX.matcher(path)).matches()) {
                route = "tx";
                requireMethod(req, HttpMethod.GET);
                Bytes32 hash = parseHash(m.group(1));
                Optional<Object> decided = server.backend.transaction(hash).map(this::withLevel);
                writeJson(ctx, HttpResponseStatus.OK, found(decided.isPresent() ? decided
                        : server.confirmations.pending(hash).map(Object.class::cast),
                        "no decided or pre-confirmed transaction " + hash.toHex()), keepAlive);
            } else if ((m = BUNDLE.matcher(path)).matches()) {
                route = "bundle";
                requireMethod(req, HttpMethod.GET);
                Bytes32 id = parseHash(m.group(1));
                writeJson(ctx, HttpResponseStatus.OK, found(server.backend.bundle(id),
                        "no decided bundle " + id.toHex() + " (not decided yet, pruned, or never admitted)"), keepAlive);
            } else if (path.equals("/v0/stream/blocks")) {
                route = "stream";
                requireMethod(req, HttpMethod.GET);
                stream(ctx, req, uri);
                count(route, 200);
                return true;
            } else if (path.equals("/metrics")) {
                route = "metrics";
                requireMethod(req, HttpMethod.GET);
                write(ctx, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        server.registry.scrape().getBytes(StandardCharsets.UTF_8), keepAlive);
            } else if (path.equals("/openapi.json")) {
                route = "openapi";
                requireMethod(req, HttpMethod.GET);
                write(ctx, HttpResponseStatus.OK, "application/json", OPENAPI, keepAlive);
            } else {
                throw new ApiError(HttpResponseStatus.NOT_FOUND, "not_found", "no endpoint " + path + "; see /openapi.json");
            }
            count(route, 200);
        } catch (ApiError e) {
            count(route, e.status.code());
            writeError(ctx, server.json, e, keepAlive);
        } catch (PayloadUnavailable e) {
            count(route, 503);
            writeError(ctx, server.json, new ApiError(HttpResponseStatus.SERVICE_UNAVAILABLE, "payload_unavailable",
                    e.getMessage()), keepAlive);
        } catch (RuntimeException e) {
            // A bug or a failing store must still get an answer; the worker would otherwise leave the client hanging.
            LOG.warn("API {} failed", route, e);
            count(route, 500);
            writeError(ctx, server.json, new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())), false);
        }
        return false;
    }

    /** Raises a decided answer's confirmation to L1-final when the light client on L1 covers it. */
    private Object withLevel(Object answer) {
        return switch (answer) {
            case dev.cortado.lightclient.api.TransactionAnswer t -> server.confirmations.forTransaction(t);
            case dev.cortado.lightclient.api.BlockAnswer b -> server.confirmations.forBlock(b);
            default -> answer;
        };
    }

    private void count(String route, int status) {
        server.count(route, status);
    }

    static byte[] body(FullHttpRequest req) {
        return ByteBufUtil.getBytes(req.content());
    }

    private void stream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        long from = 0;
        List<String> fromParam = uri.parameters().get("from");
        String lastEventId = req.headers().get("Last-Event-ID");
        if (fromParam != null && !fromParam.isEmpty()) {
            from = parseHeight(fromParam.getFirst());
        } else if (lastEventId != null) {
            from = parseHeight(lastEventId) + 1;
        }
        if (server.streams.size() >= HttpApiServer.MAX_STREAMS) {
            throw new ApiError(HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_streams",
                    "at most " + HttpApiServer.MAX_STREAMS + " concurrent block streams");
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setTransferEncodingChunked(res, true);
        ctx.writeAndFlush(res);
        BlockStream s = new BlockStream(server, ctx.channel(), from);
        server.streams.add(s);
        ctx.channel().closeFuture().addListener(f -> server.streams.remove(s));
        ctx.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext c) {
                s.wake();
                c.fireChannelWritabilityChanged();
            }
        });
        s.wake();
    }

    /**
     * Whether the client asked for {@code application/octet-stream} (with a non-zero weight, if any). JSON stays the
     * default: a browser or curl without the header gets what it always got.
     */
    static boolean acceptsBinary(FullHttpRequest req) {
        for (String accept : req.headers().getAll(HttpHeaderNames.ACCEPT)) {
            for (String range : accept.split(",")) {
                String[] parts = range.split(";");
                if (!parts[0].trim().equalsIgnoreCase(NamespaceBinary.MEDIA_TYPE)) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].trim().replace(" ", "");
                    refused |= param.matches("q=0(\\.0{0,3})?");
                }
                if (!refused) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> T found(Optional<T> value, String missing) {
        return value.orElseThrow(() -> new ApiError(HttpResponseStatus.NOT_FOUND, "not_found", missing));
    }

    private static void requireMethod(FullHttpRequest req, HttpMethod method) {
        if (!req.method().equals(method)) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    req.method() + " not allowed here; use " + method);
        }
    }

    static long parseHeight(String s) {
        return nonNegative(s, "malformed_height", "height");
    }

    static long parseEpoch(String s) {
        return nonNegative(s, "malformed_epoch", "epoch");
    }

    private static long nonNegative(String s, String error, String what) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, error, what + " must be a non-negative integer, got \""
                + truncate(s) + "\"");
    }

    static long parseNamespace(String s) {
        return SubmitBodies.namespace(s);
    }

    static Bytes32 parseHash(String s) {
        String h = s.startsWith("0x") ? s.substring(2) : s;
        if (h.length() == 64) {
            try {
                return Bytes32.of(HexFormat.of().parseHex(h));
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_hash", "hash must be 32 bytes of hex, got \""
                + truncate(s) + "\"");
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void writeJson(ChannelHandlerContext ctx, HttpResponseStatus status, Object body, boolean keepAlive) {
        write(ctx, status, "application/json", server.json.writeValueAsBytes(body), keepAlive);
    }

    static void writeError(ChannelHandlerContext ctx, JsonMapper json, ApiError e, boolean keepAlive) {
        write(ctx, e.status, "application/json", json.writeValueAsBytes(new ApiError.Body(e.error, e.getMessage())), keepAlive,
                e.retryAfterSeconds);
    }

    static void write(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body, boolean keepAlive) {
        write(ctx, status, type, body, keepAlive, 0);
    }

    private static void write(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body, boolean keepAlive,
            int retryAfterSeconds) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (retryAfterSeconds > 0) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        HttpUtil.setContentLength(res, body.length);
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ApiHandler.class.getResourceAsStream("/dev/cortado/node/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
