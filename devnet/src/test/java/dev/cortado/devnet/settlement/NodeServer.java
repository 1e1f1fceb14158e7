package dev.cortado.devnet.settlement;

import com.sun.net.httpserver.HttpServer;
import dev.cortado.lightclient.api.LightClientAnswer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.IntFunction;
import tools.jackson.databind.json.JsonMapper;

/** A node's light-client endpoints on 127.0.0.1, serving whatever {@code answers} gives for a request. */
final class NodeServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;

    NodeServer(IntFunction<LightClientAnswer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v0/light-client/", exchange -> {
            try (exchange) {
                String last = exchange.getRequestURI().getPath().substring("/v0/light-client/".length());
                byte[] body = JSON.writeValueAsBytes(answers.apply(last.equals("latest") ? -1 : Integer.parseInt(last)));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
