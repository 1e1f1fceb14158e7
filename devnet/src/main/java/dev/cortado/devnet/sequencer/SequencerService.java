package dev.cortado.devnet.sequencer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.BundleCodec;
import dev.cortado.protocol.market.SignedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cortado sequencer}: HTTP in front of a {@link Sequencer}. {@code POST /v0/sequencer/submit} with
 * {@code {"transactions": [{"namespace": n, "payload": "0x…"}, …]}} (one atomic group) answers
 * {@code {"preconfirmations": [...]}} or {@code {error, detail}} with a 4xx; {@code GET /v0/sequencer/status}.
 * Every {@code sealIntervalMs} the open bundle is sealed and queued bundles are sent to the nodes' {@code
 * POST /v0/submit/bundle}, the current node first; a node that fails (connection error or 5xx) is skipped for
 * the next one and the same signed bundle is sent again (a node that timed out may have taken it too; its
 * records are transactions, so exactly-once decides it at most once). A node that says "not yet"
 * ({@code not_right_holder}: its L1 follower has not reached the block this sequencer read its rights at; or 429,
 * full for now) gets the same bundle again, from the next node on, after {@value #NOT_YET_RETRY_MS} ms, until the
 * bundle's window has passed: the pre-confirmations already given stand. Any other 4xx is final.
 */
public final class SequencerService implements AutoCloseable {
    private static final int MAX_BODY_BYTES = Sequencer.MAX_BUNDLE_PAYLOAD_BYTES * 2 + 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final long NOT_YET_RETRY_MS = 50;

    private final Sequencer sequencer;
    private final List<URI> nodes;
    private final HttpServer server;
    private final ScheduledExecutorService sealer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong refusedByNodes = new AtomicLong();
    private final AtomicLong deferredByNodes = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private volatile long retryAtMs;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int currentNode;
    private volatile String lastNodeError;

    private SequencerService(Sequencer sequencer, List<URI> nodes, HttpServer server, long sealIntervalMs) {
        this.sequencer = sequencer;
        this.nodes = List.copyOf(nodes);
        this.server = server;
        this.sealer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sequencer-sealer");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/v0/sequencer/submit", this::submit);
        server.createContext("/v0/sequencer/status", this::status);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        sealer.scheduleWithFixedDelay(this::sealAndSend, sealIntervalMs, sealIntervalMs, TimeUnit.MILLISECONDS);
    }

    public static SequencerService start(Sequencer sequencer, List<URI> nodes, InetSocketAddress listen, long sealIntervalMs)
            throws IOException {
        if (nodes.isEmpty()) throw new IllegalArgumentException("at least one node URL is needed");
        return new SequencerService(sequencer, nodes, HttpServer.create(listen, 64), sealIntervalMs);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public long submittedBundles() {
        return submitted.get();
    }

    /**
     * Times a node gave no answer (connection error, timeout or 5xx) and the bundle went on to the next node. The
     * first node may still have taken it; the network decides a bundle's records at most once, so that is safe.
     */
    public long failovers() {
        return failovers.get();
    }

    /** The last node failure or refusal this service saw, or "" when there was none. */
    public String lastNodeError() {
        return lastNodeError == null ? "" : lastNodeError;
    }

    /** Times a node answered "not yet" and the bundle was kept for another try. */
    public long deferredBundles() {
        return deferredByNodes.get();
    }

    /**
     * Seals the open bundle and sends every queued one; public so tests and shutdown can flush. Serialised, so the
     * timer and a flush never send the same bundle at once.
     */
    public synchronized void sealAndSend() {
        try {
            sequencer.seal();
            sequencer.dropExpired();
            if (System.currentTimeMillis() < retryAtMs) return;
            while (true) {
                var next = sequencer.nextQueued();
                if (next.isEmpty() || !sendToSomeNode(next.get())) return;
            }
        } catch (RuntimeException e) {
            lastNodeError = String.valueOf(e.getMessage());
        }
    }

    private boolean sendToSomeNode(SignedBundle b) {
        byte[] body = BundleCodec.encode(b);
        for (int tries = 0; tries < nodes.size(); tries++) {
            URI node = nodes.get(currentNode);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/submit/bundle"))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    submitted.incrementAndGet();
                    sequencer.taken(b);
                    return true;
                }
                if (r.statusCode() == 429 || (r.statusCode() == 403 && "not_right_holder".equals(errorOf(r.body())))) {
                    // Each node follows L1 on its own poll, so it may trail the block this sequencer read its
                    // rights at by a poll; the bundle stays first in the queue so later ones keep their order.
                    deferredByNodes.incrementAndGet();
                    lastNodeError = node + " deferred bundle " + b.id() + ": " + r.body();
                    currentNode = (currentNode + 1) % nodes.size();
                    retryAtMs = System.currentTimeMillis() + NOT_YET_RETRY_MS;
                    return false;
                }
                if (r.statusCode() < 500) {
                    // The node judged it and said no; sending it elsewhere gives the same answer.
                    refusedByNodes.incrementAndGet();
                    lastNodeError = node + " refused bundle " + b.id() + ": " + r.body();
                    sequencer.taken(b);
                    return true;
                }
                lastNodeError = node + " answered " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                lastNodeError = node + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            failovers.incrementAndGet();
            currentNode = (currentNode + 1) % nodes.size();
        }
        return false;
    }

    /** The {@code error} code of a node's JSON refusal, or "" when the body is not one. */
    private static String errorOf(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            return error != null && error.isString() ? error.stringValue() : "";
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    private void submit(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, Map.of("error", "method_not_allowed", "detail", "use POST"));
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                reply(ex, 413, Map.of("error", "body_too_large", "detail", "at most " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            List<Transaction> group;
            try {
                group = parse(body);
            } catch (RuntimeException e) {
                reply(ex, 400, Map.of("error", "malformed_request", "detail", String.valueOf(e.getMessage())));
                return;
            }
            switch (sequencer.accept(group)) {
                case Sequencer.Accepted a -> reply(ex, 200, Map.of("preconfirmations",
                        a.preconfirmations().stream().map(PreconfJson::of).toList()));
                case Sequencer.Refused r -> reply(ex, switch (r.error()) {
                    case "not_holder" -> 403;
                    case "backlog_full", "not_started" -> 503;
                    case "group_too_large" -> 413;
                    default -> 400;
                }, Map.of("error", r.error(), "detail", r.detail()));
            }
        }
    }

    private static List<Transaction> parse(byte[] body) {
        JsonNode root = JSON.readTree(body);
        JsonNode txs = root.get("transactions");
        if (txs == null || !txs.isArray()) throw new IllegalArgumentException("expected {\"transactions\": [...]}");
        List<Transaction> out = new ArrayList<>();
        for (JsonNode t : txs) {
            JsonNode ns = t.get("namespace");
            JsonNode payload = t.get("payload");
            if (ns == null || !ns.canConvertToLong() || ns.longValue() < 0) {
                throw new IllegalArgumentException("each transaction needs a non-negative integer namespace");
            }
            if (payload == null || !payload.isString() || !payload.stringValue().matches("0x([0-9a-fA-F]{2})+")) {
                throw new IllegalArgumentException("each transaction needs a non-empty 0x-hex payload");
            }
            out.add(new Transaction(NamespaceId.of(ns.longValue()), HexFormat.of().parseHex(payload.stringValue().substring(2))));
        }
        return out;
    }

    private void status(HttpExchange ex) throws IOException {
        try (ex) {
            reply(ex, 200, Map.of("address", sequencer.address().toHex(), "queued", sequencer.queuedCount(),
                    "submitted", submitted.get(), "refusedByNodes", refusedByNodes.get(), "deferredByNodes", deferredByNodes.get(),
                    "failovers", failovers.get(), "lastNodeError", lastNodeError == null ? "" : lastNodeError));
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) return; // a test or a shutdown hook may close it twice
        sealer.shutdownNow();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
