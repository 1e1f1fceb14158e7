package dev.cortado.devnet.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every node's public API once a second, as an operator's monitoring would: {@code GET /v0/status}
 * (height, view, leader, peers, broker, and the sequencing rights it enforces) and {@code GET /metrics} (rejected and malformed messages, refused
 * connections). Keeps two minutes of the highest height for the decide-rate chart.
 */
public final class NodeWatch implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int HISTORY = 120;
    private static final List<String> REJECTED = List.of("cortado_consensus_rejected_total", "cortado_blocks_rejected_total",
            "cortado_messages_malformed_total", "cortado_net_refused_total");

    /** The marketplace's bundle bitmap holds 256 rollups, so no window has more. */
    private static final int MAX_NAMESPACES = 256;
    private static final java.util.Set<String> REASONS = java.util.Set.of("sold", "unsold", "fallback");

    private final List<URI> nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Deque<long[]> history = new ArrayDeque<>();
    private volatile List<StorySnapshot.NodeHealth> health = List.of();
    private volatile long view = -1;
    private volatile int leader = -1;
    private volatile StorySnapshot.NetworkRights rights;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-node-watch");
        t.setDaemon(true);
        return t;
    });

    public NodeWatch(List<URI> nodes) {
        this.nodes = List.copyOf(nodes);
        timer.scheduleWithFixedDelay(this::poll, 0, 1_000, TimeUnit.MILLISECONDS);
    }

    /** One reading of every node: each one's health in order, and the view, leader and rights of the most advanced. */
    public record Reading(List<StorySnapshot.NodeHealth> health, long topHeight, long view, int leader,
            StorySnapshot.NetworkRights rights) {
    }

    private void poll() {
        Reading r;
        try {
            r = readOnce(http, nodes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        health = r.health();
        if (r.topHeight() >= 0) {
            view = r.view();
            leader = r.leader();
        }
        if (r.rights() != null) rights = r.rights();
        synchronized (history) {
            history.addLast(new long[] {System.currentTimeMillis(), r.topHeight()});
            while (history.size() > HISTORY) history.removeFirst();
        }
    }

    /** Asks every node's {@code /v0/status} and {@code /metrics} once; a node that fails to answer is unreachable. */
    public static Reading readOnce(HttpClient http, List<URI> nodes) throws InterruptedException {
        List<StorySnapshot.NodeHealth> out = new ArrayList<>();
        long top = -1;
        long view = -1;
        int leader = -1;
        StorySnapshot.NetworkRights rights = null;
        for (int i = 0; i < nodes.size(); i++) {
            try {
                JsonNode s = JSON.readTree(get(http, nodes.get(i).resolve("/v0/status")));
                long rejected = rejected(get(http, nodes.get(i).resolve("/metrics")));
                long h = s.get("height").asLong();
                JsonNode broker = s.get("broker");
                out.add(new StorySnapshot.NodeHealth(i, h, s.get("view").asLong(), s.get("peers").size(),
                        broker == null || broker.isNull() ? "direct" : "broker " + broker.asString(), rejected, true));
                if (h > top) {
                    top = h;
                    view = s.get("view").asLong();
                    leader = s.get("leader").asInt();
                    StorySnapshot.NetworkRights r = rights(s.get("rights"));
                    if (r != null) rights = r;
                }
            } catch (java.io.IOException | RuntimeException e) {
                out.add(new StorySnapshot.NodeHealth(i, -1, -1, 0, "unreachable", 0, false));
            }
        }
        return new Reading(List.copyOf(out), top, view, leader, rights);
    }

    private static String get(HttpClient http, URI uri) throws java.io.IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new java.io.IOException(uri + " answered " + r.statusCode());
        return r.body();
    }

    /**
     * The {@code rights} object of a node's status (who may sequence each registered namespace after its decided
     * tip), or null when it has none or it does not parse: a node's answer is checked, never trusted to be well formed.
     */
    static StorySnapshot.NetworkRights rights(JsonNode r) {
        if (r == null || !r.isObject() || !r.path("namespaces").isArray() || r.get("namespaces").size() > MAX_NAMESPACES) {
            return null;
        }
        List<StorySnapshot.NamespaceRight> out = new ArrayList<>();
        for (JsonNode n : r.get("namespaces")) {
            String holder = n.path("holder").asString("");
            String reason = n.path("reason").asString("");
            if (!n.path("namespace").canConvertToExactIntegral() || !holder.matches("0x[0-9a-fA-F]{40}")
                    || !REASONS.contains(reason)) {
                return null;
            }
            out.add(new StorySnapshot.NamespaceRight(n.get("namespace").asLong(), holder.toLowerCase(java.util.Locale.ROOT),
                    holder.toLowerCase(java.util.Locale.ROOT), reason));
        }
        for (String f : List.of("height", "window", "slot")) {
            if (!r.path(f).canConvertToExactIntegral() || r.get(f).asLong() < 0) return null;
        }
        return new StorySnapshot.NetworkRights(r.get("height").asLong(), r.get("window").asLong(), r.get("slot").asLong(),
                List.copyOf(out));
    }

    /** The rights the most advanced node last reported, or null before any node reported them. */
    public StorySnapshot.NetworkRights rights() {
        return rights;
    }

    /** Sums the rejection counters of a Prometheus text scrape (every label set of each). */
    static long rejected(String scrape) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#")) continue;
            for (String name : REJECTED) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return (long) sum;
    }

    public List<StorySnapshot.NodeHealth> health() {
        return health;
    }

    public long view() {
        return view;
    }

    public int leader() {
        return leader;
    }

    /** (unix ms, highest height) once a second, oldest first. */
    public List<long[]> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Heights decided per second over the last {@code seconds} of history. */
    public double decidesPerSec(int seconds) {
        List<long[]> h = history();
        if (h.size() < 2) return 0;
        long[] last = h.getLast();
        long[] first = h.get(Math.max(0, h.size() - 1 - seconds));
        if (first[1] < 0 || last[0] == first[0]) return 0;
        return (last[1] - first[1]) * 1000.0 / (last[0] - first[0]);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
