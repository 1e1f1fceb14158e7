package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.submit.BinaryBatch;
import dev.cortado.lightclient.submit.Submission;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.mempool.SubmitResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client pushback over real sockets: 429 {@code backlog} with Retry-After on every transaction route, batches whole. */
class BacklogHttpTest {
    /** Three 1000-byte entries fill the backlog; the pool itself has room for far more. */
    private final TestChainBackend backend = new TestChainBackend(new MempoolLimits(1024, 64 * 1024, 64 * 1024, 1000, 3000));
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private HttpApiServer server;
    private String base;

    @BeforeEach
    void start() {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(16_384));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] payload(int tag) {
        byte[] b = new byte[996];
        java.util.Arrays.fill(b, (byte) tag);
        return b;
    }

    private static String jsonTx(int tag) {
        return "{\"namespace\": 1, \"payload\": \"0x" + HexFormat.of().formatHex(payload(tag)) + "\"}";
    }

    private HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return post(path, "application/json", body.getBytes());
    }

    /** A 429 backlog answer with Retry-After and both numbers in its detail. */
    private void assertBacklog(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        assertEquals("backlog", n.get("error").asString(), r.body());
        String detail = n.get("detail").asString();
        assertTrue(detail.contains(backend.mempool.totalBytes() + " pending bytes") && detail.contains("limit of 3000 bytes"), detail);
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), "Retry-After on " + r.uri());
    }

    private void fill() {
        backend.mempool.submitFromClient(List.of(new Mempool.Submission(1, payload(0)), new Mempool.Submission(1, payload(1)),
                new Mempool.Submission(1, payload(2))));
        assertEquals(3000, backend.mempool.totalBytes());
    }

    @Test
    void everyTransactionRouteAnswers429BacklogWithRetryAfter() throws Exception {
        fill();
        assertBacklog(postJson("/v0/submit", jsonTx(5)));
        assertBacklog(postJson("/v0/submit/batch", "{\"transactions\": [" + jsonTx(5) + ", " + jsonTx(6) + "]}"));
        assertBacklog(post("/v0/submit/binary", "application/octet-stream",
                BinaryBatch.encode(List.of(new Submission(1, payload(5)), new Submission(2, payload(6))))));
        assertEquals(3, backend.mempool.size(), "nothing of a refused request is admitted");
        // The check comes before the body is read: a malformed body is refused for the backlog, not parsed.
        assertBacklog(postJson("/v0/submit/batch", "{not json"));
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("cortado_submit_backlog_refused_total 4.0"), metrics);
    }

    @Test
    void theOpenApiDocumentListsTheBacklog429OnEverySubmitRoute() throws Exception {
        JsonNode api = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (String path : List.of("/v0/submit", "/v0/submit/batch", "/v0/submit/binary")) {
            JsonNode tooMany = api.path("paths").path(path).path("post").path("responses").path("429");
            assertTrue(tooMany.path("description").asString("").startsWith("backlog"), path);
            assertEquals("integer", tooMany.path("headers").path("Retry-After").path("schema").path("type").asString(""), path);
        }
    }

    @Test
    void acceptsAgainOnceDecidedBlocksMakeRoom() throws Exception {
        fill();
        assertBacklog(postJson("/v0/submit", jsonTx(5)));
        backend.mempool.removeDecided(List.of(dev.cortado.node.mempool.PendingTx.hash(1, payload(0))));
        HttpResponse<String> r = postJson("/v0/submit", jsonTx(5));
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void aBatchRefusedAfterTheCheapCheckIsRefusedWholeOnTheWire() throws Exception {
        // The cheap check passes (backlog 2000 < 3000); the backlog fills before the batch reaches the mempool.
        backend.mempool.submitFromClient(List.of(new Mempool.Submission(1, payload(0)), new Mempool.Submission(1, payload(1))));
        ApiBackend racing = new ApiBackend() {
            @Override
            public SubmitResult submit(long namespace, byte[] p) {
                return submitAll(List.of(new Mempool.Submission(namespace, p))).getFirst();
            }

            @Override
            public List<SubmitResult> submitAll(List<Mempool.Submission> batch) {
                backend.mempool.submitAll(List.of(new Mempool.Submission(3, payload(9))));
                return backend.submitAll(batch);
            }

            @Override
            public java.util.Optional<SubmitResult.Refused> backlogRefusal() {
                return backend.backlogRefusal();
            }

            @Override public Object status() { return backend.status(); }
            @Override public java.util.Optional<Object> block(long h, java.util.Optional<Long> c) { return backend.block(h, c); }
            @Override public java.util.Optional<Object> lightClient(java.util.Optional<Long> h) { return backend.lightClient(h); }
            @Override public java.util.Optional<dev.cortado.protocol.block.NamespaceProof> namespace(long h, long ns) { return backend.namespace(h, ns); }
            @Override public java.util.Optional<Object> transaction(dev.cortado.protocol.types.Bytes32 h) { return backend.transaction(h); }
            @Override public long latestHeight() { return backend.latestHeight(); }
            @Override public long oldestHeight() { return backend.oldestHeight(); }
            @Override public void onDecided(Runnable l) { backend.onDecided(l); }
        };
        server.close();
        server = new HttpApiServer(racing, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(16_384));
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
        assertBacklog(post("/v0/submit/binary", "application/octet-stream",
                BinaryBatch.encode(List.of(new Submission(1, payload(5)), new Submission(2, payload(6))))));
        assertEquals(3, backend.mempool.size(), "the two already pending and the one that filled the backlog, none of the batch");
    }
}
