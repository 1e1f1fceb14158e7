package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo traffic pauses for a node's 429 Retry-After (bounded) instead of sending every tick into a refusal. */
class DemoTrafficBackoffTest {
    private HttpServer server;
    private URI node;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String retryAfter = "3";
    private final AtomicLong nowMs = new AtomicLong(1_000_000);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v0/submit", this::answer);
        server.start();
        node = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        String body = status == 200 ? "{\"hash\":\"0x" + "cd".repeat(32) + "\",\"duplicate\":false}"
                : "{\"error\":\"backlog\",\"detail\":\"the node holds 9000000 pending bytes; limit 8388608\"}";
        if (status == 429 && retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Test
    void pausesForRetryAfterThenResumes() {
        DemoTraffic traffic = new DemoTraffic(List.of(node), nowMs::get);
        traffic.submitOne();
        assertEquals(1, traffic.accepted());
        status = 429;
        traffic.submitOne();
        assertEquals(2, requests.get());
        assertEquals(1, traffic.backedOff());
        assertEquals(0, traffic.refused(), "pushback is not an error");
        // Every tick within the 3 s sends nothing.
        for (int i = 0; i < 50; i++) {
            nowMs.addAndGet(50);
            traffic.submitOne();
        }
        assertEquals(2, requests.get());
        status = 200;
        nowMs.addAndGet(500);
        traffic.submitOne();
        assertEquals(3, requests.get());
        assertEquals(2, traffic.accepted());
    }

    @Test
    void thePauseIsBoundedWhateverTheNodeSays() {
        assertEquals(DemoTraffic.MAX_PAUSE_MS, DemoTraffic.pauseMs("86400"));
        assertEquals(DemoTraffic.MIN_PAUSE_MS, DemoTraffic.pauseMs("0"));
        assertEquals(DemoTraffic.MIN_PAUSE_MS, DemoTraffic.pauseMs(null));
        assertEquals(DemoTraffic.MIN_PAUSE_MS, DemoTraffic.pauseMs("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(5_000, DemoTraffic.pauseMs("5"));

        DemoTraffic traffic = new DemoTraffic(List.of(node), nowMs::get);
        status = 429;
        retryAfter = "86400";
        traffic.submitOne();
        nowMs.addAndGet(DemoTraffic.MAX_PAUSE_MS - 1);
        traffic.submitOne();
        assertEquals(1, requests.get());
        nowMs.addAndGet(1);
        traffic.submitOne();
        assertEquals(2, requests.get(), "resumes after the cap, not after a day");
    }
}
