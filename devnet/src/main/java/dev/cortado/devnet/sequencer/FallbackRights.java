package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.types.Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A default sequencer's rights with the silence fallback: besides what L1 gives it ({@code base}), it holds a
 * rollup sold to a winner once that winner has fallen silent in the window on the chain. Only decided blocks
 * decide that, and a fallen winner stays fallen for the rest of its window, so the service may pre-confirm from
 * then on: every block of the window after that point takes its bundles. It learns it from the nodes' {@code GET
 * /v0/status} ({@code market.fallenSilent}), and believes it only when more than half of the configured nodes
 * report it for that window, so one lying or confused node cannot make it promise what no block will take.
 * Answers are re-read at most every {@code refreshMs} per window; a fallback once seen is kept for its window.
 */
public final class FallbackRights implements SequencerRights {
    /** Who holds a registered rollup in a window on L1: the winner (or the default when unsold) and its default. */
    public record Holding(Address holder, Address defaultSequencer) {
    }

    /** The L1 side: who holds each registered rollup; empty for an unregistered one. */
    public interface Holders {
        Optional<Holding> holding(long window, long namespace);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SequencerRights base;
    private final Holders holders;
    private final Address self;
    private final List<URI> nodes;
    private final long refreshMs;
    private final LongSupplier nowMs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** (window, winner) pairs a majority reported fallen; bounded to the current and previous window. */
    private final Set<String> fallen = new HashSet<>();
    private long askedWindow = -1;
    private long askedAtMs;

    public FallbackRights(SequencerRights base, Holders holders, Address self, List<URI> nodes, long refreshMs, LongSupplier nowMs) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("at least one node URL is needed");
        this.base = base;
        this.holders = holders;
        this.self = self;
        this.nodes = List.copyOf(nodes);
        this.refreshMs = refreshMs;
        this.nowMs = nowMs;
    }

    @Override
    public synchronized Optional<String> refuse(long window, long namespace) {
        Optional<String> refusal = base.refuse(window, namespace);
        if (refusal.isEmpty()) return refusal;
        Optional<Holding> h = holders.holding(window, namespace);
        if (h.isEmpty() || !h.get().defaultSequencer().equals(self) || h.get().holder().equals(self)) return refusal;
        Address winner = h.get().holder();
        if (fallenInWindow(window, winner)) return Optional.empty();
        return Optional.of(refusal.get() + "; this sequencer takes it over only once the chain shows "
                + winner.toHex() + " silent in window " + window);
    }

    private boolean fallenInWindow(long window, Address winner) {
        String key = window + ":" + winner.toHex();
        if (fallen.contains(key)) return true;
        long now = nowMs.getAsLong();
        if (window == askedWindow && now - askedAtMs < refreshMs) return false;
        askedWindow = window;
        askedAtMs = now;
        int reports = 0;
        for (URI node : nodes) {
            if (reportsFallen(node, window, winner)) reports++;
        }
        if (2 * reports <= nodes.size()) return false;
        fallen.removeIf(k -> Long.parseLong(k.substring(0, k.indexOf(':'))) < window - 1);
        fallen.add(key);
        return true;
    }

    /** Whether {@code node}'s decided chain has {@code winner} fallen in {@code window}; any bad answer is a no. */
    private boolean reportsFallen(URI node, long window, Address winner) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/status")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return false;
            JsonNode market = JSON.readTree(r.body()).get("market");
            if (market == null || !market.isObject() || market.path("window").asLong(-1) != window) return false;
            JsonNode list = market.get("fallenSilent");
            if (list == null || !list.isArray()) return false;
            String wanted = winner.toHex().toLowerCase(Locale.ROOT);
            for (JsonNode a : list) {
                if (a.isString() && a.stringValue().toLowerCase(Locale.ROOT).equals(wanted)) return true;
            }
            return false;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
