package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.mempool.MempoolLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A body over the request limit, on a raw socket so the test sees what a client sees: the whole body
 * can be sent, the 413 arrives intact and the same connection serves the next request. Closing on the
 * 413 (the old behaviour) made a still-sending client read "connection reset" instead, now and then.
 */
class OversizedBodyTest {
    private static final int MAX_REQUEST = 8192;
    private HttpApiServer server;
    private int port;

    @BeforeEach
    void start() {
        server = new HttpApiServer(new TestChainBackend(new MempoolLimits(1024, 64 * 1024, 64 * 1024, 1000)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(MAX_REQUEST));
        port = server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusedBodyIsReadToItsEndAndTheConnectionLives() throws IOException {
        int bodyBytes = 1 << 20; // 128 limits, within the drained bound of 1 MiB
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v0/submit/binary HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + bodyBytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            String refused = readResponse(s.getInputStream());
            assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
            assertTrue(refused.contains("\"error\":\"body_too_large\"") && refused.contains("exceeds " + MAX_REQUEST), refused);

            out.write("GET /v0/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readResponse(s.getInputStream());
            assertTrue(next.startsWith("HTTP/1.1 200"), next);
        }
    }

    @Test
    void bodyDeclaredBeyondTheDrainBoundIsAnsweredAndClosed() throws IOException {
        long declared = HttpApiServer.discardLimitBytes(MAX_REQUEST) + 1;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /v0/submit/binary HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String refused = readResponse(in);
            assertTrue(refused.startsWith("HTTP/1.1 413"), refused);
            assertEquals(-1, in.read(), "the server closed the connection rather than read " + declared + " bytes");
        }
    }

    /** One response: headers, then exactly Content-Length body bytes. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
