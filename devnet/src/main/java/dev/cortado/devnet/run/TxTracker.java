package dev.cortado.devnet.run;

import dev.cortado.lightclient.api.ConfirmationJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows a sample of demo transactions through the three confirmation levels, as a user's wallet would see
 * them: pre-confirmed (a sequencer's signed promise came back), then what the nodes report for the transaction at
 * {@code GET /v0/tx/{hash}}: {@code pre_confirmed} (its bundle is in a node's pool), {@code hotshot_final} (decided)
 * and {@code l1_final} (LightClient.sol covers its height at the node's finalized L1 block, checked against the
 * node's own header root). Levels only grow; a node that lags is asked again by the next poll. Keeps the newest
 * {@value #KEPT}, follows at most one sequenced transaction per {@value #FOLLOW_EVERY_MS} ms (so a followed one stays
 * on the page long enough to reach L1), and stops asking about one after {@value #GIVE_UP_MS} ms. Timings are
 * milliseconds from submission.
 */
public final class TxTracker implements AutoCloseable {
    static final int KEPT = 60;
    static final long FOLLOW_EVERY_MS = 2_000;
    static final long GIVE_UP_MS = 180_000;
    private static final int LATENCIES_KEPT = 256;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One followed transaction; null timings are levels not reached (yet).
     *
     * @param level the highest level a node reported ("" before any did)
     * @param pooledMs when a node first said {@code pre_confirmed}; a bundle often goes from pool to block between polls
     * @param l1Block the L1 block at which the node read the light client that made it L1-final
     */
    public record Tx(String hash, String rollup, long namespace, String kind, String sequencer, long submittedAtMs,
            Long preconfMs, String level, Long pooledMs, Long decidedMs, Long height, Long l1Ms, Long l1Block) {
    }

    private final List<URI> nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Deque<Tx> txs = new ArrayDeque<>();
    private final long[] preconfLatenciesMs = new long[LATENCIES_KEPT];
    private long preconfCount;
    private long lastFollowedMs;
    private long nextNode;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-tx-tracker");
        t.setDaemon(true);
        return t;
    });

    public TxTracker(List<URI> nodes, long pollMs) {
        this.nodes = List.copyOf(nodes);
        poller.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** A transaction a sequencer pre-confirmed {@code preconfMs} after it was sent (always timed, followed when due). */
    public synchronized void preconfirmed(String hash, String rollup, long namespace, String kind, String sequencer,
            long submittedAtMs, long preconfMs) {
        preconfLatenciesMs[(int) (preconfCount++ % LATENCIES_KEPT)] = preconfMs;
        if (submittedAtMs - lastFollowedMs < FOLLOW_EVERY_MS) return;
        lastFollowedMs = submittedAtMs;
        add(new Tx(hash, rollup, namespace, kind, sequencer, submittedAtMs, preconfMs, "", null, null, null, null, null));
    }

    /** A loose transaction in an open namespace: no sequencer, so no pre-confirmation level. */
    public synchronized void submittedOpen(String hash, long namespace, long submittedAtMs) {
        add(new Tx(hash, "open " + namespace, namespace, "open", "", submittedAtMs, null, "", null, null, null, null, null));
    }
    private void add(Tx tx) {
        if (txs.stream().anyMatch(t -> t.hash().equals(tx.hash()))) return;
        txs.addFirst(tx);
        while (txs.size() > KEPT) txs.removeLast();
    }

    /** Newest first. */
    public synchronized List<Tx> recent() {
        return List.copyOf(txs);
    }

    /** The median pre-confirmation round trip of the latest answers, or -1 before the first. */
    public synchronized long preconfP50Ms() {
        int n = (int) Math.min(preconfCount, LATENCIES_KEPT);
        if (n == 0) return -1;
        long[] copy = Arrays.copyOf(preconfLatenciesMs, n);
        Arrays.sort(copy);
        return copy[n / 2];
    }

    public synchronized long preconfirmedCount() {
        return preconfCount;
    }

    private void poll() {
        List<Tx> todo;
        synchronized (this) {
            todo = new ArrayList<>(txs);
        }
        long now = System.currentTimeMillis();
        for (Tx t : todo) {
            if (t.l1Ms() != null || now - t.submittedAtMs() > GIVE_UP_MS) continue;
            JsonNode c = confirmation(t.hash());
            if (c == null) continue;
            Tx updated = advanced(t, c, System.currentTimeMillis());
            if (updated != t) replace(t, updated);
        }
    }

    /**
     * {@code t} after a node's {@code confirmation} object, which is checked first: an unknown level, or a decided
     * level without a height (an L1-final one without its L1 block), changes nothing.
     */
    static Tx advanced(Tx t, JsonNode c, long nowMs) {
        String level = c.path("level").asString("");
        int rank = rank(level);
        Long height = c.path("height").canConvertToExactIntegral() ? c.get("height").asLong() : null;
        Long l1Block = c.path("l1").path("l1Block").canConvertToExactIntegral() ? c.get("l1").get("l1Block").asLong() : null;
        if (rank < 0 || rank >= 2 && (height == null || height < 0) || rank == 3 && l1Block == null) return t;
        if (rank <= rank(t.level())) return t;
        long since = nowMs - t.submittedAtMs();
        Long pooled = t.pooledMs() == null && rank == 1 ? Long.valueOf(since) : t.pooledMs();
        Long decided = t.decidedMs() == null && rank >= 2 ? Long.valueOf(since) : t.decidedMs();
        return new Tx(t.hash(), t.rollup(), t.namespace(), t.kind(), t.sequencer(), t.submittedAtMs(), t.preconfMs(), level,
                pooled, decided, rank >= 2 ? height : t.height(), rank == 3 ? Long.valueOf(since) : null,
                rank == 3 ? l1Block : null);
    }

    private static int rank(String level) {
        return switch (level) {
            case "" -> 0;
            case ConfirmationJson.PRE_CONFIRMED -> 1;
            case ConfirmationJson.HOTSHOT_FINAL -> 2;
            case ConfirmationJson.L1_FINAL -> 3;
            default -> -1;
        };
    }

    private synchronized void replace(Tx old, Tx updated) {
        List<Tx> all = new ArrayList<>(txs);
        int i = all.indexOf(old);
        if (i < 0) return;
        all.set(i, updated);
        txs.clear();
        txs.addAll(all);
    }

    /** One node's {@code confirmation} for the transaction, or null (404 before a node knows it, or an error). */
    private JsonNode confirmation(String hash) {
        URI node = nodes.get((int) (nextNode++ % nodes.size()));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/tx/" + hash)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null;
            JsonNode c = JSON.readTree(r.body()).get("confirmation");
            return c != null && c.isObject() ? c : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null; // that node is down, slow or answered garbage; the next poll asks another
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
