package dev.cortado.devnet.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one node's public API says about stake-table epochs: its decided height ({@code GET /v0/status}), an epoch's
 * table ({@code GET /v0/epoch/{e}}) and who signed a height's light-client certificate ({@code GET
 * /v0/light-client/{h}}). Every answer is checked for shape and size and otherwise treated as no answer: this reads a
 * node as any outside observer would, it does not vouch for what the node says.
 */
public final class EpochApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The node's own bound on an epoch table (and the light client's): more is not a table a node serves. */
    private static final int MAX_TABLE = 10_000;
    private static final String KEY_HEX = "0x[0-9a-fA-F]{192}";

    private final URI node;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public EpochApi(URI node) {
        this.node = node;
    }

    /**
     * One epoch's table as {@code /v0/epoch/{e}} serves it.
     *
     * @param commitment the table's {@code stakeTableComm}, lowercase {@code 0x} hex
     * @param keys the members' compressed BLS keys, lowercase {@code 0x} hex, in table (signer-bit) order
     */
    public record EpochTable(long epoch, long firstHeight, long lastHeight, String commitment, List<String> keys) {
        public EpochTable {
            keys = List.copyOf(keys);
        }

        /** {@code key}'s signer-bit index in this table, or -1 when it is not a member. */
        public int indexOf(String key) {
            return keys.indexOf(key.toLowerCase(Locale.ROOT));
        }
    }

    /** The node's decided height, or empty when it does not answer with one. */
    public OptionalLong height() {
        Optional<JsonNode> s = get("/v0/status");
        if (s.isEmpty() || !s.get().path("height").canConvertToExactIntegral()) return OptionalLong.empty();
        return OptionalLong.of(s.get().get("height").asLong());
    }

    /** Epoch {@code e}'s table, or empty while the node does not serve it (not reached or its handover not certified). */
    public Optional<EpochTable> epoch(long e) {
        Optional<JsonNode> a = get("/v0/epoch/" + e);
        if (a.isEmpty()) return Optional.empty();
        JsonNode j = a.get();
        JsonNode table = j.path("table");
        String commitment = j.path("stakeTableComm").asString("");
        if (!commitment.matches("0x[0-9a-fA-F]{64}") || !j.path("epoch").canConvertToExactIntegral() || j.get("epoch").asLong() != e || !table.isArray()
                || table.size() > MAX_TABLE || !j.path("firstHeight").canConvertToExactIntegral()
                || !j.path("lastHeight").canConvertToExactIntegral()) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>(table.size());
        for (JsonNode entry : table) {
            String key = entry.path("publicKey").asString("");
            if (!key.matches(KEY_HEX)) return Optional.empty();
            keys.add(key.toLowerCase(Locale.ROOT));
        }
        return Optional.of(new EpochTable(e, j.get("firstHeight").asLong(), j.get("lastHeight").asLong(),
                commitment.toLowerCase(Locale.ROOT), keys));
    }

    /**
     * The signer bitmap of height {@code h}'s light-client certificate (bit i at byte i/8, least significant first, i
     * the signer's index in the table of h's epoch), or empty while the node holds no certificate for h.
     */
    public Optional<byte[]> signers(long h) {
        Optional<JsonNode> a = get("/v0/light-client/" + h);
        if (a.isEmpty()) return Optional.empty();
        JsonNode state = a.get().path("state");
        String hex = a.get().path("certificate").path("signers").asString("");
        if (!state.path("height").canConvertToExactIntegral() || state.get("height").asLong() != h
                || !hex.matches("0x([0-9a-fA-F]{2}){1," + (MAX_TABLE + 7) / 8 + "}")) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(hex.substring(2)));
    }

    /** Whether bit {@code index} of a signer bitmap is set; an index beyond the bitmap is not. */
    public static boolean signed(byte[] signers, int index) {
        return index >= 0 && index / 8 < signers.length && (signers[index / 8] >> (index % 8) & 1) == 1;
    }

    /** The JSON of a 200 answer; empty when the node is down, slow, answers otherwise or not with JSON. */
    private Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
