package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.NamespaceBinary;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /v0/block/{h}/namespace/{ns}} over a real socket: JSON by default, binary when asked, errors as JSON. */
class NamespaceBinaryHttpTest {
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestChainBackend backend = new TestChainBackend();
    private final BlockPayload payload = BlockPayload.build(List.of(new Transaction(NamespaceId.of(5), new byte[] {1, 2, 3}),
            new Transaction(NamespaceId.of(6), new byte[] {4}), new Transaction(NamespaceId.of(5), new byte[] {7, 7})));
    private HttpApiServer server;
    private String base;

    @BeforeEach
    void start() {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 2048, 1);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
        backend.payloads.put(4L, payload);
        backend.decide(4);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void binaryIsTheSameProofAsJsonAndVerifiesAgainstThePayloadRoot() throws Exception {
        HttpResponse<byte[]> bin = get("/v0/block/4/namespace/5", "text/html, application/octet-stream;q=0.9");
        assertEquals(200, bin.statusCode());
        assertEquals(NamespaceBinary.MEDIA_TYPE, bin.headers().firstValue("Content-Type").orElseThrow());
        NamespaceBinary.Decoded decoded = NamespaceBinary.decode(bin.body());
        assertEquals(4, decoded.height());
        NamespaceProof fromJson = json.readValue(get("/v0/block/4/namespace/5", null).body(), NamespaceAnswer.class).toProof();
        assertEquals(fromJson.transactions(), decoded.proof().transactions());
        assertEquals(List.of(new Transaction(NamespaceId.of(5), new byte[] {1, 2, 3}), new Transaction(NamespaceId.of(5), new byte[] {7, 7})),
                decoded.proof().transactions());
        assertArrayEquals(fromJson.nsTable(), decoded.proof().nsTable());
        assertEquals(fromJson.nsPath(), decoded.proof().nsPath());
        assertTrue(decoded.proof().nsPath() != null && decoded.proof().nsPath().leafCount() == 2);
    }

    @Test
    void withoutTheHeaderOrWithAZeroWeightTheAnswerStaysJson() throws Exception {
        for (String accept : new String[] {null, "application/json", "application/octet-stream;q=0", "application/octet-stream; q=0.000"}) {
            HttpResponse<byte[]> r = get("/v0/block/4/namespace/6", accept);
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow(), "Accept: " + accept);
            assertEquals(1, json.readValue(r.body(), NamespaceAnswer.class).transactions().size());
        }
    }

    @Test
    void anAbsentNamespaceComesWithoutAPath() throws Exception {
        HttpResponse<byte[]> r = get("/v0/block/4/namespace/9", NamespaceBinary.MEDIA_TYPE);
        assertEquals(200, r.statusCode());
        NamespaceBinary.Decoded d = NamespaceBinary.decode(r.body());
        assertTrue(d.proof().transactions().isEmpty());
        assertEquals(null, d.proof().nsPath());
    }

    @Test
    void errorsStayJsonEvenWhenBinaryIsAsked() throws Exception {
        HttpResponse<byte[]> missing = get("/v0/block/99/namespace/5", NamespaceBinary.MEDIA_TYPE);
        assertEquals(404, missing.statusCode());
        assertEquals("application/json", missing.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("not_found", json.readTree(missing.body()).get("error").asString());
        HttpResponse<byte[]> bad = get("/v0/block/4/namespace/x", NamespaceBinary.MEDIA_TYPE);
        assertEquals(400, bad.statusCode());
        assertEquals("malformed_namespace", json.readTree(bad.body()).get("error").asString());
    }
}
