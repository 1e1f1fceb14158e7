package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 fault 8: a payload retrieval that takes seconds (a node with {@code keepPayloads =
 * false} asking the DA committee) must not hold up submissions or the block stream. The slow read
 * here blocks on a latch the test only opens at the end, so on a server that runs requests on its
 * I/O thread the submission below never completes and the test fails on its guard timeout.
 */
class HttpApiWorkersTest {
    /** Guards against a hang only; nothing here measures time. */
    private static final long GUARD_S = 20;

    private final HttpClient http = HttpClient.newHttpClient();
    private final TestChainBackend backend = new TestChainBackend();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpApiServer server;
    private String base;

    private void start(ApiSettings settings) {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), settings);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> submit(String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v0/submit")).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void slowNamespaceReads(CountDownLatch entered) {
        backend.onNamespaceRead = h -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void slowPayloadReadDoesNotDelaySubmissionsOrTheBlockStream() throws Exception {
        start(new ApiSettings(4096, 1, 2, 1, 8));
        backend.decide(0);
        CountDownLatch entered = new CountDownLatch(1);
        slowNamespaceReads(entered);

        BlockingQueue<Long> streamed = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> stream = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v0/stream/blocks?from=0"))
                .build(), HttpResponse.BodyHandlers.ofInputStream()).get(GUARD_S, TimeUnit.SECONDS);
        Thread reader = Thread.ofVirtual().start(() -> readIds(stream.body(), streamed));
        assertEquals(0L, streamed.poll(GUARD_S, TimeUnit.SECONDS));

        CompletableFuture<HttpResponse<String>> slow = get("/v0/block/0/namespace/1");
        assertTrue(entered.await(GUARD_S, TimeUnit.SECONDS), "the namespace read reached the backend");

        HttpResponse<String> accepted = submit("{\"namespace\": 1, \"payload\": \"0x01\"}").get(GUARD_S, TimeUnit.SECONDS);
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals(200, get("/v0/status").get(GUARD_S, TimeUnit.SECONDS).statusCode());
        backend.decide(1);
        assertEquals(1L, streamed.poll(GUARD_S, TimeUnit.SECONDS), "the block stream moved on");
        assertFalse(slow.isDone(), "all of that happened while the payload read was still in flight");

        release.countDown();
        assertEquals(200, slow.get(GUARD_S, TimeUnit.SECONDS).statusCode());
        assertEquals(1, backend.mempool.size());
        reader.interrupt();
        stream.body().close();
    }

    @Test
    void fullReadPoolAnswers503InsteadOfQueueingWithoutBound() throws Exception {
        start(new ApiSettings(4096, 1, 2, 1, 1));
        backend.decide(0);
        CountDownLatch entered = new CountDownLatch(1);
        slowNamespaceReads(entered);
        CompletableFuture<HttpResponse<String>> running = get("/v0/block/0/namespace/1");
        assertTrue(entered.await(GUARD_S, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> queued = get("/v0/block/0/namespace/2");
        ThreadPoolExecutor readers = (ThreadPoolExecutor) server.readers;
        Await.until("the second read to reach the readers' queue", () -> !readers.getQueue().isEmpty());
        assertEquals(1, readers.getQueue().size(), "the second read waits in the one queue slot");

        HttpResponse<String> refused = get("/v0/tx/" + "00".repeat(32)).get(GUARD_S, TimeUnit.SECONDS);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"error\":\"overloaded\""), refused.body());
        // Submissions use the other pool and still go through.
        assertEquals(200, submit("{\"namespace\": 1, \"payload\": \"0x02\"}").get(GUARD_S, TimeUnit.SECONDS).statusCode());

        release.countDown();
        assertEquals(200, running.get(GUARD_S, TimeUnit.SECONDS).statusCode());
        assertEquals(200, queued.get(GUARD_S, TimeUnit.SECONDS).statusCode());
    }

    private static void readIds(InputStream body, BlockingQueue<Long> out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    out.add(Long.parseLong(line.substring(4)));
                }
            }
        } catch (java.io.IOException closed) {
            // the test closed the stream
        }
    }
}
