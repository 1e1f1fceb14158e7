package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.api.ApiBackend;
import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.protocol.types.Bytes32;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 fault 13: the devnet's request limit used to equal its block limit, so a block-sized
 * transaction sent as hex got {@code body_too_large} and {@code transaction_too_large} could never
 * be reached. Here an HTTP API with the devnet's limits answers the latter.
 */
class DevnetLimitsTest {
    @Test
    void devnetRequestLimitLetsTransactionTooLargeBeReached() throws Exception {
        Mempool mempool = new Mempool(new MempoolLimits(DevnetConfig.MAX_BLOCK_BYTES, 8L << 20, 32L << 20, 100), h -> false);
        ApiBackend backend = new ApiBackend() {
            @Override public SubmitResult submit(long namespace, byte[] payload) {
                return mempool.submit(namespace, payload);
            }
            @Override public Object status() {
                return "";
            }
            @Override public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
                return Optional.empty();
            }
            @Override public Optional<Object> lightClient(Optional<Long> height) {
                return Optional.empty();
            }
            @Override public Optional<dev.cortado.protocol.block.NamespaceProof> namespace(long height, long namespace) {
                return Optional.empty();
            }
            @Override public Optional<Object> transaction(Bytes32 hash) {
                return Optional.empty();
            }
            @Override public long latestHeight() {
                return -1;
            }
            @Override public long oldestHeight() {
                return 1;
            }
            @Override public void onDecided(Runnable listener) {}
        };
        try (HttpApiServer server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                DevnetConfig.MAX_REQUEST_BYTES, 1)) {
            String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
            String body = "{\"namespace\": 1, \"payload\": \"0x" + "cd".repeat(DevnetConfig.MAX_BLOCK_BYTES) + "\"}";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v0/submit"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"error\":\"transaction_too_large\""), r.body());
            assertEquals(0, mempool.size());
        }
    }
}
