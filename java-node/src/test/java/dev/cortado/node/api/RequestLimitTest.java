package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.config.NodeConfig;
import dev.cortado.node.mempool.MempoolLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 fault 13, last item: with the default request limit a transaction just over the block
 * limit, sent as hex JSON, reaches the mempool and is refused as {@code transaction_too_large}
 * (which tells the client the real limit) instead of {@code body_too_large}.
 */
class RequestLimitTest {
    private static final int BLOCK_BYTES = 64 * 1024;

    @Test
    void oversizedHexTransactionIsNamedTooLargeNotBodyTooLarge() throws Exception {
        TestChainBackend backend = new TestChainBackend(new MempoolLimits(BLOCK_BYTES, 1L << 20, 1L << 20, 100));
        int limit = NodeConfig.defaultMaxRequestBytes(BLOCK_BYTES);
        try (HttpApiServer server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                ApiSettings.defaults(limit))) {
            String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"namespace\": 3, \"payload\": \"0x" + "ab".repeat(BLOCK_BYTES + 1) + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v0/submit"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"error\":\"transaction_too_large\""), r.body());
            assertTrue(r.body().contains("block limit"), r.body());
            assertEquals(0, backend.mempool.size());
        }
    }
}
