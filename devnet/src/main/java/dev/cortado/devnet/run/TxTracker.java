package dev.cortado.devnet.run;

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
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a sample of demo transactions through the three confirmation levels, as a user's wallet would see
 * them: pre-confirmed (a sequencer's signed promise came back), decided by HotShot ({@code GET /v0/tx/{hash}}
 * answers with a height), and covered on L1 (LightClient.sol's finalized height, as the light-client poster
 * last read it, reaches that height). Keeps the newest {@value #KEPT}; timings are milliseconds from submission.
 */
public final class TxTracker implements AutoCloseable {
    static final int KEPT = 60;
    private static final int LATENCIES_KEPT = 256;
    private static final Pattern HEIGHT = Pattern.compile("\"height\"\\s*:\\s*(\\d+)");

    /** One followed transaction; null timings are levels not reached (yet). */
    public record Tx(String hash, String rollup, long namespace, String kind, String sequencer, long submittedAtMs,
            Long preconfMs, Long decidedMs, Long height, Long l1Ms) {
    }

    private final List<URI> nodes;
    private final LongSupplier lightClientHeightOnL1;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Deque<Tx> txs = new ArrayDeque<>();
    private final long[] preconfLatenciesMs = new long[LATENCIES_KEPT];
    private long preconfCount;
    private long nextNode;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-tx-tracker");
        t.setDaemon(true);
        return t;
    });

    public TxTracker(List<URI> nodes, LongSupplier lightClientHeightOnL1, long pollMs) {
        this.nodes = List.copyOf(nodes);
        this.lightClientHeightOnL1 = lightClientHeightOnL1;
        poller.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** A transaction a sequencer pre-confirmed {@code preconfMs} after it was sent. */
    public synchronized void preconfirmed(String hash, String rollup, long namespace, String kind, String sequencer,
            long submittedAtMs, long preconfMs) {
        preconfLatenciesMs[(int) (preconfCount++ % LATENCIES_KEPT)] = preconfMs;
        add(new Tx(hash, rollup, namespace, kind, sequencer, submittedAtMs, preconfMs, null, null, null));
    }

    /** A loose transaction in an open namespace: no sequencer, so no pre-confirmation level. */
    public synchronized void submittedOpen(String hash, long namespace, long submittedAtMs) {
        add(new Tx(hash, "open " + namespace, namespace, "open", "", submittedAtMs, null, null, null, null));
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
        long lc = lightClientHeightOnL1.getAsLong();
        for (Tx t : todo) {
            Tx updated = t;
            if (t.height() == null) {
                Long h = decidedHeight(t.hash());
                if (h != null) {
                    updated = new Tx(t.hash(), t.rollup(), t.namespace(), t.kind(), t.sequencer(), t.submittedAtMs(), t.preconfMs(),
                            System.currentTimeMillis() - t.submittedAtMs(), h, null);
                }
            }
            if (updated.height() != null && updated.l1Ms() == null && lc >= updated.height()) {
                updated = new Tx(updated.hash(), updated.rollup(), updated.namespace(), updated.kind(), updated.sequencer(),
                        updated.submittedAtMs(), updated.preconfMs(), updated.decidedMs(), updated.height(),
                        System.currentTimeMillis() - updated.submittedAtMs());
            }
            if (updated != t) replace(t, updated);
        }
    }

    private synchronized void replace(Tx old, Tx updated) {
        List<Tx> all = new ArrayList<>(txs);
        int i = all.indexOf(old);
        if (i < 0) return;
        all.set(i, updated);
        txs.clear();
        txs.addAll(all);
    }

    private Long decidedHeight(String hash) {
        URI node = nodes.get((int) (nextNode++ % nodes.size()));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/tx/" + hash)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null; // 404 until decided
            Matcher m = HEIGHT.matcher(r.body());
            return m.find() ? Long.parseLong(m.group(1)) : null;
        } catch (java.io.IOException e) {
            return null; // that node is down or slow; the next poll asks another
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
