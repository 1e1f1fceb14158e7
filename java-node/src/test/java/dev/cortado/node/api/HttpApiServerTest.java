package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP layer over real sockets, with a backend of a real mempool and an in-memory decided
 * chain that the test extends (the node runtime's backend is exercised in the runtime tests).
 */
class HttpApiServerTest {
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestChainBackend backend = new TestChainBackend();
    private HttpApiServer server;
    private String base;

    @BeforeEach
    void start() {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 2048, 1);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        assertEquals(error, n.get("error").asString(), r.body());
        assertTrue(!n.get("detail").asString().isEmpty());
    }

    @Test
    void submitAcceptsHexAndBase64AndDeduplicates() throws Exception {
        HttpResponse<String> hex = post("/v0/submit", "{\"namespace\": 7, \"payload\": \"0x0102\"}");
        assertEquals(200, hex.statusCode(), hex.body());
        JsonNode a = json.readTree(hex.body());
        // base64 of 0x0102 is AQI=: the same transaction, so a duplicate with the same hash.
        JsonNode b = json.readTree(post("/v0/submit", "{\"namespace\": 7, \"payload\": \"AQI=\"}").body());
        assertEquals(a.get("hash").asString(), b.get("hash").asString());
        assertTrue(b.get("duplicate").asBoolean());
        assertEquals(1, backend.mempool.size());
    }

    @Test
    void batchSubmissionJudgesEachEntry() throws Exception {
        HttpResponse<String> r = post("/v0/submit/batch", "{\"transactions\": [{\"namespace\": 1, \"payload\": \"0x01\"},"
                + " {\"namespace\": 1, \"payload\": \"\"}, {\"namespace\": 2, \"payload\": \"0xzz\"}, {\"namespace\": 1, \"payload\": \"AQ==\"}]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode results = json.readTree(r.body()).get("results");
        assertEquals(4, results.size());
        assertTrue(results.get(0).has("hash"));
        assertEquals("empty_transaction", results.get(1).get("error").asString());
        assertEquals("malformed_payload", results.get(2).get("error").asString());
        assertTrue(results.get(3).get("duplicate").asBoolean(), "0x01 and AQ== are the same transaction");
        assertError(post("/v0/submit/batch", "{\"transactions\": 5}"), 400, "malformed_request");
        assertEquals(1, backend.mempool.size());
    }

    @Test
    void badSubmissionsGet4xxWithReasons() throws Exception {
        assertError(post("/v0/submit", "{not json"), 400, "malformed_request");
        assertError(post("/v0/submit", "{\"namespace\": 1}"), 400, "malformed_request");
        assertError(post("/v0/submit", "{\"namespace\": 1.5, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"0x01\", \"fee\": 3}"), 400, "malformed_request");
        assertError(post("/v0/submit", "{\"namespace\": -4, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"0xzz\"}"), 400, "malformed_payload");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"\"}"), 400, "empty_transaction");
        // 1021 bytes, base64: over the 1020-byte transaction limit of a 1024-byte block, under the body limit.
        String big = java.util.Base64.getEncoder().encodeToString(new byte[1021]);
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"" + big + "\"}"), 413, "transaction_too_large");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"0x" + "ab".repeat(2000) + "\"}"), 413, "body_too_large");
        assertError(get("/v0/submit"), 405, "method_not_allowed");
        assertError(get("/v0/nothing"), 404, "not_found");
        assertError(get("/v0/block/-1"), 400, "malformed_height");
        assertError(get("/v0/block/abc"), 400, "malformed_height");
        assertError(get("/v0/block/3"), 404, "not_found");
        assertError(get("/v0/block/0/namespace/x"), 400, "malformed_namespace");
        assertError(get("/v0/tx/0x12"), 400, "malformed_hash");
        assertError(get("/v0/epoch/x"), 400, "malformed_epoch");
        assertError(get("/v0/epoch/0"), 404, "not_found");
        assertError(get("/v0/tx/" + "00".repeat(32)), 404, "not_found");
        assertEquals(0, backend.mempool.size());
        // The server is still fine after all that.
        assertEquals(200, get("/v0/status").statusCode());
    }

    /** Issue 9 fault 13: the JSON API is strict where Jackson's defaults were lax. */
    @Test
    void submissionJsonIsStrict() throws Exception {
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": true}"), 400, "malformed_payload");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": 1234}"), 400, "malformed_payload");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": null}"), 400, "malformed_payload");
        // "AQI" is 0x0102 without its padding; only "AQI=" is accepted.
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"AQI\"}"), 400, "malformed_payload");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"0x01\", \"payload\": \"0x02\"}"), 400,
                "malformed_request");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"namespace\": 2, \"payload\": \"0x01\"}"), 400, "malformed_request");
        assertError(post("/v0/submit", "{\"namespace\": 1, \"payload\": \"0x01\"} {}"), 400, "malformed_request");
        assertError(post("/v0/submit", "[1, \"0x01\"]"), 400, "malformed_request");
        assertError(post("/v0/submit", ""), 400, "malformed_request");
        // 2^63 does not fit: the same code on POST (number or string) and GET.
        assertError(post("/v0/submit", "{\"namespace\": 9223372036854775808, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": \"9223372036854775808\", \"payload\": \"0x01\"}"), 400,
                "malformed_namespace");
        assertError(get("/v0/block/0/namespace/9223372036854775808"), 400, "malformed_namespace");
        // Above 2^53 - 1 a JavaScript number has already lost digits, so only the string form is taken.
        assertError(post("/v0/submit", "{\"namespace\": 9007199254740993, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": \"+5\", \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": 1e3, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertError(post("/v0/submit", "{\"namespace\": false, \"payload\": \"0x01\"}"), 400, "malformed_namespace");
        assertEquals(0, backend.mempool.size());

        assertEquals(200, post("/v0/submit", "{\"namespace\": 9007199254740991, \"payload\": \"0x01\"}").statusCode());
        // 2^63 - 1 parses but is the bundle records' reserved namespace; the one below it is the largest open one.
        assertError(post("/v0/submit", "{\"namespace\": \"9223372036854775807\", \"payload\": \"AQI=\"}"), 400,
                "reserved_namespace");
        assertEquals(200, post("/v0/submit", "{\"namespace\": \"9223372036854775806\", \"payload\": \"AQI=\"}").statusCode());
        assertEquals(2, backend.mempool.size());

        HttpResponse<String> batch = post("/v0/submit/batch", "{\"transactions\": [{\"namespace\": 1, \"payload\": false},"
                + " {\"namespace\": 1, \"payload\": \"AQ\"}, {\"namespace\": 1, \"payload\": \"0x05\", \"payload\": \"0x06\"}]}");
        assertError(batch, 400, "malformed_request"); // duplicate keys anywhere make the body invalid JSON for us
        JsonNode results = json.readTree(post("/v0/submit/batch", "{\"transactions\": [{\"namespace\": 1, \"payload\": false},"
                + " {\"namespace\": 1, \"payload\": \"AQ\"}, {\"namespace\": \"18446744073709551615\", \"payload\": \"0x01\"}, 7]}")
                .body()).get("results");
        assertEquals("malformed_payload", results.get(0).get("error").asString());
        assertEquals("malformed_payload", results.get(1).get("error").asString());
        assertEquals("malformed_namespace", results.get(2).get("error").asString());
        assertEquals("malformed_request", results.get(3).get("error").asString());
        assertError(post("/v0/submit/batch", "{\"transactions\": [], \"extra\": 1}"), 400, "malformed_request");
        assertEquals(2, backend.mempool.size());
    }

    @Test
    void namespacesAboveTwoTo53AreStringsInAnswers() throws Exception {
        backend.decide(0);
        JsonNode small = json.readTree(get("/v0/block/0/namespace/9007199254740991").body());
        assertTrue(small.get("namespace").isNumber(), small::toString);
        assertEquals(9007199254740991L, small.get("namespace").asLong());
        String text = get("/v0/block/0/namespace/9007199254740993").body();
        JsonNode big = json.readTree(text);
        assertTrue(big.get("namespace").isString(), text);
        assertEquals("9007199254740993", big.get("namespace").asString());
        // The light client's answer record reads the string form back exactly.
        assertEquals(9007199254740993L, json.readValue(text, dev.cortado.lightclient.api.NamespaceAnswer.class).namespace());
        String max = get("/v0/block/0/namespace/" + Long.MAX_VALUE).body();
        assertEquals(Long.toString(Long.MAX_VALUE), json.readTree(max).get("namespace").asString(), max);
    }

    @Test
    void blocksStatusMetricsAndOpenApi() throws Exception {
        backend.decide(0);
        backend.decide(1);
        assertEquals(1, json.readTree(get("/v0/block/1").body()).get("height").asLong());
        assertEquals(1, json.readTree(get("/v0/status").body()).get("height").asLong());
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("cortado_api_requests_total"), metrics);
        JsonNode api = json.readTree(get("/openapi.json").body());
        assertTrue(api.get("openapi").asString().startsWith("3."));
        for (String p : List.of("/v0/submit", "/v0/submit/batch", "/v0/submit/binary", "/v0/status", "/v0/light-client/latest", "/v0/light-client/{height}", "/v0/epoch/{epoch}", "/v0/block/{height}", "/v0/block/{height}/namespace/{namespace}",
                "/v0/tx/{hash}", "/v0/stream/blocks", "/metrics", "/openapi.json")) {
            assertTrue(api.get("paths").has(p), p);
        }
    }

    @Test
    void blockStreamIsLiveAndResumable() throws Exception {
        backend.decide(0);
        backend.decide(1);
        List<Long> seen = readStream("/v0/stream/blocks?from=1", 3, () -> {
            backend.decide(2);
            backend.decide(3);
        });
        assertEquals(List.of(1L, 2L, 3L), seen);
        assertEquals(List.of(3L), readStream("/v0/stream/blocks?from=3", 1, () -> {}));
        backend.oldest = 2;
        HttpRequest resume = HttpRequest.newBuilder(URI.create(base + "/v0/stream/blocks")).header("Last-Event-ID", "0").build();
        assertEquals(List.of(2L, 3L), readStream(resume, 2, () -> {}));
    }

    private List<Long> readStream(String path, int count, Runnable afterConnect) throws Exception {
        return readStream(HttpRequest.newBuilder(URI.create(base + path)).build(), count, afterConnect);
    }

    private List<Long> readStream(HttpRequest req, int count, Runnable afterConnect) throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        afterConnect.run();
        List<Long> ids = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while (ids.size() < count && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    ids.add(Long.parseLong(line.substring(4)));
                }
            }
        }
        return ids;
    }
}
