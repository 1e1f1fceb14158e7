package dev.cortado.lightclient.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's 429 {@code backlog} answer reaches the caller as {@link SubmitOutcome.Backlogged} for every transaction of
 * the refused request, with the node's {@code Retry-After}; other refusals of a whole request stay exceptions.
 */
class SubmitClientBacklogTest {
    private HttpServer server;
    private URI base;
    /** What the stand-in node answers: status, Retry-After (null for none) and body, per request in order. */
    private final List<Object[]> answers = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v0/submit/binary", this::answer);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        Object[] a;
        synchronized (answers) {
            a = answers.get(Math.min(requests.getAndIncrement(), answers.size() - 1));
        }
        if (a[1] != null) {
            ex.getResponseHeaders().set("Retry-After", (String) a[1]);
        }
        byte[] body = ((String) a[2]).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders((int) a[0], body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static String backlogBody() {
        return "{\"error\":\"backlog\",\"detail\":\"the node holds 9000000 pending bytes not yet decided, at or over its"
                + " backlog limit of 8388608 bytes; retry after 1 s\"}";
    }

    private static List<Submission> txs(int n) {
        List<Submission> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Submission(1, ("tx" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void backlogAnswerIsOneBackloggedOutcomePerTransactionWithRetryAfter() throws Exception {
        answers.add(new Object[] {429, "3", backlogBody()});
        List<SubmitOutcome> out = new SubmitClient(base).submit(txs(3));
        assertEquals(3, out.size());
        for (SubmitOutcome o : out) {
            SubmitOutcome.Backlogged b = assertInstanceOf(SubmitOutcome.Backlogged.class, o);
            assertEquals(Duration.ofSeconds(3), b.retryAfter());
            assertTrue(b.detail().contains("8388608"), b.detail());
        }
    }

    @Test
    void onlyTheRefusedChunkOfASplitBatchIsBacklogged() {
        String ok = "{\"results\":[{\"hash\":\"0x01\",\"duplicate\":false},{\"hash\":\"0x02\",\"duplicate\":false}]}";
        answers.add(new Object[] {200, null, ok});
        answers.add(new Object[] {429, "2", backlogBody()});
        // Two entries of 3 bytes fit one 40-byte request (5 header + 2 x 15), so four make two requests.
        SubmitClient client = new SubmitClient(base, HttpClient.newHttpClient(), Duration.ofSeconds(10), 40);
        List<SubmitOutcome> out = client.submitAsync(txs(4)).join();
        assertEquals(2, requests.get());
        long accepted = out.stream().filter(o -> o instanceof SubmitOutcome.Accepted).count();
        long backlogged = out.stream().filter(o -> o instanceof SubmitOutcome.Backlogged).count();
        assertEquals(2, accepted);
        assertEquals(2, backlogged);
    }

    @Test
    void retryAfterIsBoundedAndDefaulted() {
        assertEquals(SubmitClient.DEFAULT_RETRY_AFTER, SubmitClient.retryAfter(null));
        assertEquals(SubmitClient.DEFAULT_RETRY_AFTER, SubmitClient.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(SubmitClient.DEFAULT_RETRY_AFTER, SubmitClient.retryAfter("-5"));
        assertEquals(Duration.ofSeconds(7), SubmitClient.retryAfter(" 7 "));
        assertEquals(SubmitClient.MAX_RETRY_AFTER, SubmitClient.retryAfter("86400"));
    }

    @Test
    void otherWholeRequestRefusalsStayExceptions() {
        answers.add(new Object[] {429, "1", "{\"error\":\"mempool_full\",\"detail\":\"full\"}"});
        SubmitRefusedException e = assertThrows(SubmitRefusedException.class, () -> new SubmitClient(base).submit(txs(1)));
        assertEquals(429, e.status());
        assertEquals("mempool_full", e.error());
        answers.set(0, new Object[] {503, null, "{\"error\":\"overloaded\",\"detail\":\"busy\"}"});
        CompletionException async = assertThrows(CompletionException.class, () -> new SubmitClient(base).submitAsync(txs(1)).join());
        assertInstanceOf(SubmitRefusedException.class, async.getCause());
    }
}
