package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.types.Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which winners the nodes' decided chains show silent, from their {@code GET /v0/status} ({@code
 * market.fallenSilent}). A winner counts as fallen in a window only when more than half of the configured nodes
 * report it for that window, so one lying or confused node cannot make a sequencer promise what no block will take
 * (or give up what it holds). A fallback once seen is kept for its window; only the current and previous window are
 * remembered.
 *
 * <p>The answer never waits on the network: a stale window starts an asynchronous poll of every node (at most one
 * per {@code refreshMs}) and is answered from what is known, so a pre-confirmation's latency never includes a
 * status round trip. A fallback is a matter of slots, so learning it a poll late costs nothing.
 */
public final class NodeFallbackReports implements FallbackRights.Fallen {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> nodes;
    private final long refreshMs;
    private final LongSupplier nowMs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** "window:winner" keys a majority reported fallen. */
    private final Set<String> fallen = ConcurrentHashMap.newKeySet();
    private long polledWindow = -1;
    private long polledAtMs;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    public NodeFallbackReports(List<URI> nodes, long refreshMs, LongSupplier nowMs) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("at least one node URL is needed");
        this.nodes = List.copyOf(nodes);
        this.refreshMs = refreshMs;
        this.nowMs = nowMs;
    }

    @Override
    public boolean fallen(long window, long namespace, Address winner) {
        String key = key(window, winner);
        if (fallen.contains(key)) return true;
        pollIfStale(window, winner);
        return fallen.contains(key);
    }

    /** The poll started last (completed when none is running); tests wait on it instead of sleeping. */
    synchronized CompletableFuture<Void> lastPoll() {
        return inFlight;
    }

    private synchronized void pollIfStale(long window, Address winner) {
        long now = nowMs.getAsLong();
        if (!inFlight.isDone() || (window == polledWindow && now - polledAtMs < refreshMs)) return;
        polledWindow = window;
        polledAtMs = now;
        String wanted = winner.toHex().toLowerCase(Locale.ROOT);
        List<CompletableFuture<Boolean>> answers = nodes.stream().map(n -> reportsFallen(n, window, wanted)).toList();
        inFlight = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
            long reports = answers.stream().filter(CompletableFuture::join).count();
            if (2 * reports <= nodes.size()) return;
            fallen.removeIf(k -> Long.parseLong(k.substring(0, k.indexOf(':'))) < window - 1);
            fallen.add(key(window, winner));
        });
    }

    /** Whether {@code node}'s decided chain has {@code winner} fallen in {@code window}; any bad answer is a no. */
    private CompletableFuture<Boolean> reportsFallen(URI node, long window, String winner) {
        HttpRequest request = HttpRequest.newBuilder(node.resolve("/v0/status")).timeout(Duration.ofSeconds(2)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 && lists(r.body(), window, winner))
                .exceptionally(e -> false);
    }

    private static boolean lists(String body, long window, String winner) {
        try {
            JsonNode market = JSON.readTree(body).get("market");
            if (market == null || !market.isObject() || market.path("window").asLong(-1) != window) return false;
            JsonNode list = market.get("fallenSilent");
            if (list == null || !list.isArray()) return false;
            for (JsonNode a : list) {
                if (a.isString() && a.stringValue().toLowerCase(Locale.ROOT).equals(winner)) return true;
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String key(long window, Address winner) {
        return window + ":" + winner.toHex().toLowerCase(Locale.ROOT);
    }
}
