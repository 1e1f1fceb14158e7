package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;

/** A test's HTTP client for in-JVM nodes: submits and reads, failing the test on any non-200 answer. */
final class NodeHttp {
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** Submits a transaction and returns its hash. */
    String submit(CortadoNode node, long ns, byte[] payload) throws Exception {
        String body = "{\"namespace\": " + ns + ", \"payload\": \"0x" + HexFormat.of().formatHex(payload) + "\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, "/v0/submit"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body()).get("hash").asString();
    }

    /** GETs {@code path} and returns the body. */
    String get(CortadoNode node, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static URI uri(CortadoNode node, String path) {
        return URI.create("http://127.0.0.1:" + node.apiAddress().getPort() + path);
    }
}
