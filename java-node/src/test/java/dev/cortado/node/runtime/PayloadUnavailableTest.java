package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A decided block whose payload nobody can give back is answered 503 {@code payload_unavailable}, not 404 "no
 * decided block": four nodes on real sockets, committee of three; every payload is wiped and the other three
 * nodes are stopped, so node 3 can neither fetch the payload nor gather enough VID shares.
 */
class PayloadUnavailableTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aDecidedBlockWithoutARetrievablePayloadIsUnavailableNotMissing() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, false, 3)) {
            c.startAll();
            CortadoNode reader = c.nodes[3];
            String hash = http.submit(reader, 20, "lost-payload".getBytes());
            byte[] raw = HexFormat.of().parseHex(hash.substring(2));
            Await.until("node 3 decided the transaction", Duration.ofSeconds(60),
                    () -> reader.store().txLocation(raw).isPresent());
            long height = reader.store().txLocation(raw).orElseThrow().height();
            Await.until("node 3 stored the payload of height " + height, Duration.ofSeconds(10),
                    () -> reader.store().payload(height).isPresent());
            for (CortadoNode n : c.nodes) n.wipePayloads();
            Await.until("node 3's payloads are gone", Duration.ofSeconds(10), () -> reader.store().payload(height).isEmpty());
            for (int i = 0; i < 3; i++) c.stop(i);

            for (String path : new String[] {"/v0/block/" + height + "/namespace/20", "/v0/tx/" + hash}) {
                HttpResponse<String> r = get(reader, path);
                assertEquals(503, r.statusCode(), path + ": " + r.body());
                JsonNode body = json.readTree(r.body());
                assertEquals("payload_unavailable", body.get("error").asString(), path);
                assertTrue(body.get("detail").asString().startsWith("block " + height + " is decided but"), r.body());
            }
            assertTrue(reader.da.retrievalFailures.count() >= 2, "both reads tried the committee and the shares");
            HttpResponse<String> block = get(reader, "/v0/block/" + height);
            assertEquals(200, block.statusCode(), "the header is still served: " + block.body());
            HttpResponse<String> beyond = get(reader, "/v0/block/" + (height + 1_000_000) + "/namespace/20");
            assertEquals(404, beyond.statusCode(), "an undecided height is still missing: " + beyond.body());
        }
    }

    private HttpResponse<String> get(CortadoNode node, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiAddress().getPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
