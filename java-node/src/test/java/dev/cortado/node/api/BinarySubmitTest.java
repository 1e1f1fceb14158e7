package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.submit.BinaryBatch;
import dev.cortado.lightclient.submit.Submission;
import dev.cortado.lightclient.submit.SubmitClient;
import dev.cortado.lightclient.submit.SubmitOutcome;
import dev.cortado.lightclient.submit.SubmitRefusedException;
import dev.cortado.node.mempool.MempoolLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v0/submit/binary} over real sockets, through the light client's {@link SubmitClient} and raw bodies. */
class BinarySubmitTest {
    private static final int MAX_REQUEST = 8192;
    private final TestChainBackend backend = new TestChainBackend(new MempoolLimits(1024, 64 * 1024, 64 * 1024, 1000));
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private HttpApiServer server;
    private URI base;

    @BeforeEach
    void start() {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(MAX_REQUEST));
        base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientSubmitsBatchesAndGetsOneOutcomePerTransaction() throws Exception {
        SubmitClient client = new SubmitClient(base);
        List<SubmitOutcome> out = client.submit(List.of(new Submission(7, new byte[] {1, 2}), new Submission(7, new byte[0]),
                new Submission(-1, new byte[] {3}), new Submission(7, new byte[] {1, 2}), new Submission(8, new byte[2000])));
        assertEquals(5, out.size());
        SubmitOutcome.Accepted first = assertInstanceOf(SubmitOutcome.Accepted.class, out.get(0));
        assertEquals("empty_transaction", assertInstanceOf(SubmitOutcome.Refused.class, out.get(1)).error());
        assertEquals("malformed_namespace", assertInstanceOf(SubmitOutcome.Refused.class, out.get(2)).error());
        SubmitOutcome.Accepted again = assertInstanceOf(SubmitOutcome.Accepted.class, out.get(3));
        assertTrue(again.duplicate());
        assertEquals(first.hash(), again.hash());
        assertEquals("transaction_too_large", assertInstanceOf(SubmitOutcome.Refused.class, out.get(4)).error());
        assertEquals(1, backend.mempool.size());

        // The JSON endpoint gives the same hash for the same transaction.
        JsonNode viaJson = json.readTree(http.send(HttpRequest.newBuilder(base.resolve("/v0/submit"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\": 7, \"payload\": \"0x0102\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(first.hash(), viaJson.get("hash").asString());
    }

    @Test
    void clientSplitsWhatOneRequestCannotHold() throws Exception {
        SubmitClient client = new SubmitClient(base, http, Duration.ofSeconds(30), 1000);
        List<Submission> txs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            txs.add(new Submission(i % 3, ("tx-" + i + "-").repeat(8).getBytes()));
        }
        List<SubmitOutcome> out = client.submitAsync(txs).join();
        assertEquals(60, out.size());
        assertTrue(out.stream().allMatch(o -> o instanceof SubmitOutcome.Accepted a && !a.duplicate()), out::toString);
        assertEquals(60, backend.mempool.size());
        assertTrue(server.registry.get("cortado.api.requests").tag("route", "submit_binary").counter().count() > 1,
                "split into several requests");
    }

    @Test
    void malformedBodiesAreRefusedWholeWithAReason() throws Exception {
        byte[] valid = BinaryBatch.encode(List.of(new Submission(1, new byte[] {9, 9}), new Submission(2, new byte[] {8})));
        assertRefused(post(valid, "application/json"), 415, "unsupported_media_type", "octet-stream");
        assertRefused(post(new byte[0], null), 400, "malformed_batch", "shorter than");
        byte[] version = valid.clone();
        version[0] = 2;
        assertRefused(post(version, null), 400, "malformed_batch", "version 2");
        assertRefused(post(Arrays.copyOf(valid, valid.length - 1), null), 400, "malformed_batch", "truncated");
        assertRefused(post(Arrays.copyOf(valid, valid.length + 3), null), 400, "malformed_batch", "3 trailing bytes");
        assertRefused(post(ByteBuffer.allocate(5).put(BinaryBatch.VERSION).putInt(0).array(), null), 400, "malformed_batch",
                "count must be 1 to");
        assertRefused(post(ByteBuffer.allocate(5).put(BinaryBatch.VERSION).putInt(-1).array(), null), 400, "malformed_batch",
                "4294967295");
        byte[] lying = valid.clone();
        ByteBuffer.wrap(lying).putInt(1 + 4 + 8, Integer.MAX_VALUE); // first entry claims 2 GiB
        assertRefused(post(lying, null), 400, "malformed_batch", "declares 2147483647 bytes");
        byte[] oversize = BinaryBatch.encode(List.of(new Submission(1, new byte[MAX_REQUEST])));
        assertRefused(post(oversize, "application/octet-stream"), 413, "body_too_large", "exceeds " + MAX_REQUEST);
        assertEquals(0, backend.mempool.size(), "nothing of a refused body reached the mempool");

        SubmitClient client = new SubmitClient(base, http, Duration.ofSeconds(30), 64 * 1024);
        SubmitRefusedException e = assertThrows(SubmitRefusedException.class,
                () -> client.submit(List.of(new Submission(1, new byte[MAX_REQUEST]))));
        assertEquals(413, e.status());
        assertEquals("body_too_large", e.error());
    }

    private HttpResponse<String> post(byte[] body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v0/submit/binary")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(HttpResponse<String> r, int status, String error, String detailPart) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        assertEquals(error, n.get("error").asString(), r.body());
        assertTrue(n.get("detail").asString().contains(detailPart), r.body());
    }
}
