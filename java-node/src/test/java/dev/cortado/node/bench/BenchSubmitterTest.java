package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.protocol.types.Bytes32;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's sender tallies what a node answers: a 429 {@code backlog} (and per-entry full refusals) count as
 * refused, not accepted and not failed, the run's future completes normally, and refused transactions leave the
 * latency map. A stand-in node answers both the binary and the JSON route.
 */
class BenchSubmitterTest {
    private HttpServer server;
    private int port;
    private volatile int status;
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v0/submit/binary", this::answer);
        server.createContext("/v0/submit/batch", this::answer);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        if (status == 429) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static OfferedLoad.Batch batch(long first, int count, boolean measured) {
        return new OfferedLoad.Batch(first, count, measured, new byte[16]);
    }

    private void backlog() {
        status = 429;
        body = "{\"error\":\"backlog\",\"detail\":\"the node holds 9000000 pending bytes; limit 8388608\"}";
    }

    /** Three entries: one taken, one refused for load, one refused for itself. */
    private void mixed() {
        status = 200;
        body = "{\"results\":[{\"hash\":\"0x" + "ab".repeat(32) + "\",\"duplicate\":false},"
                + "{\"error\":\"mempool_full\",\"detail\":\"full\"},{\"error\":\"empty_transaction\",\"detail\":\"empty\"}]}";
    }

    private void backlogIsRefusedNotFailed(String mode) {
        BenchSubmitter submitter = new BenchSubmitter(HttpClient.newHttpClient(), 1, mode);
        ConcurrentHashMap<Bytes32, Long> submitted = new ConcurrentHashMap<>();
        BenchSubmitter.Tally tally = new BenchSubmitter.Tally();
        backlog();
        submitter.submit(new int[] {port}, batch(0, 5, true), submitted, tally).join();
        assertEquals(5, tally.refused.get(), mode);
        assertEquals(0, tally.accepted.get(), mode);
        assertEquals(0, tally.failed.get(), mode);
        assertTrue(submitted.isEmpty(), mode + ": refused transactions are never decided, so they are not waited for");

        mixed();
        submitter.submit(new int[] {port}, batch(5, 3, true), submitted, tally).join();
        assertEquals(1, tally.accepted.get(), mode);
        assertEquals(6, tally.refused.get(), mode);
        assertEquals(1, tally.failed.get(), mode);

        // Warm-up batches are sent but not counted.
        backlog();
        submitter.submit(new int[] {port}, batch(8, 4, false), submitted, tally).join();
        assertEquals(6, tally.refused.get(), mode);
    }

    @Test
    void binaryBacklogIsRefusedNotFailed() {
        backlogIsRefusedNotFailed("binary");
    }

    @Test
    void jsonBacklogIsRefusedNotFailed() {
        backlogIsRefusedNotFailed("json");
    }

    @Test
    void otherRefusalsOfAWholeRequestAreFailures() {
        BenchSubmitter submitter = new BenchSubmitter(HttpClient.newHttpClient(), 1, "binary");
        BenchSubmitter.Tally tally = new BenchSubmitter.Tally();
        status = 503;
        body = "{\"error\":\"overloaded\",\"detail\":\"busy\"}";
        submitter.submit(new int[] {port}, batch(0, 4, true), new ConcurrentHashMap<>(), tally).handle((r, e) -> null).join();
        assertEquals(4, tally.failed.get());
        assertEquals(0, tally.refused.get());
    }
}
