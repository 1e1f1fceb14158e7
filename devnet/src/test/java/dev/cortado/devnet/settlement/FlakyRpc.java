package dev.cortado.devnet.settlement;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON-RPC proxy to the Anvil on 127.0.0.1 that answers 503 to every other request without
 * forwarding it, and can lose the response to the first eth_sendRawTransaction after forwarding it.
 */
final class FlakyRpc implements AutoCloseable {
    private final HttpServer server;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger lostSendResponses = new AtomicInteger();
    volatile boolean alwaysFail;

    private final String target;

    FlakyRpc(String target, boolean failEveryOther, boolean loseFirstSendResponse) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] request = exchange.getRequestBody().readAllBytes();
                if (alwaysFail || (failEveryOther && requests.getAndIncrement() % 2 == 1)) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] answer = forward(request);
                boolean isSend = new String(request, StandardCharsets.UTF_8).contains("eth_sendRawTransaction");
                if (loseFirstSendResponse && isSend && lostSendResponses.compareAndSet(0, 1)) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(502, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(answer);
                }
            }
        });
        server.start();
    }

    private byte[] forward(byte[] request) throws IOException {
        var req = java.net.http.HttpRequest.newBuilder(URI.create(target))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build();
        try {
            return http.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

