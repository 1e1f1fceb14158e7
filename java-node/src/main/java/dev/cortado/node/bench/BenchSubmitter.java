package dev.cortado.node.bench;

import dev.cortado.lightclient.submit.Submission;
import dev.cortado.lightclient.submit.SubmitClient;
import dev.cortado.lightclient.submit.SubmitOutcome;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.types.Bytes32;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network benchmark's load sender: one batch per request to a node, round-robin, timing measured transactions.
 * What the nodes answer is tallied: accepted, refused (the node pushed back: its backlog or mempool was full, so the
 * offered rate is above what it decides) and failed (anything else). Refusals are an answer, not an error: the run
 * goes on, and refused transactions are dropped from the latency map since they will never be decided.
 */
final class BenchSubmitter {
    /** Per-entry refusals that mean "too much load", counted with the whole-request 429 {@code backlog}. */
    private static final java.util.Set<String> PUSHBACK = java.util.Set.of("backlog", "mempool_full", "namespace_full");

    private final HttpClient http;
    private final int nodes;
    private final String mode;

    /** Counts of measured transactions by answer; safe to read while requests are in flight. */
    static final class Tally {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
    }

    BenchSubmitter(HttpClient http, int nodes) {
        this(http, nodes, mode());
    }

    BenchSubmitter(HttpClient http, int nodes, String mode) {
        this.http = http;
        this.nodes = nodes;
        this.mode = mode;
    }

    /**
     * How the load reaches the nodes: {@code binary} ({@code POST /v0/submit/binary} through {@link SubmitClient}, the
     * default: what load generators and sequencers use) or {@code json} (hex JSON to {@code /v0/submit/batch}, what
     * reports before 2026-12-03 measured). {@code -Dbench.submit=json} selects the latter.
     */
    static String mode() {
        String m = System.getProperty("bench.submit", "binary");
        if (!m.equals("binary") && !m.equals("json")) {
            throw new IllegalArgumentException("-Dbench.submit must be binary or json, got " + m);
        }
        return m;
    }

    private final java.util.Map<Integer, SubmitClient> clients = new ConcurrentHashMap<>();

    /** Posts one batch to a node, round-robin, and times each measured transaction from here. */
    java.util.concurrent.CompletableFuture<?> submit(int[] apiPorts, OfferedLoad.Batch batch,
            ConcurrentHashMap<Bytes32, Long> submitted, Tally tally) {
        return mode.equals("binary") ? submitBinary(apiPorts, batch, submitted, tally) : submitJson(apiPorts, batch, submitted, tally);
    }

    private java.util.concurrent.CompletableFuture<?> submitBinary(int[] apiPorts, OfferedLoad.Batch batch,
            ConcurrentHashMap<Bytes32, Long> submitted, Tally tally) {
        int count = batch.count();
        List<Submission> txs = new ArrayList<>(count);
        List<Bytes32> hashes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            byte[] payload = batch.payload(k);
            long ns = batch.namespace(k);
            if (batch.measured()) {
                Bytes32 h = PendingTx.hash(ns, payload);
                hashes.add(h);
                submitted.put(h, System.nanoTime());
            }
            txs.add(new Submission(ns, payload));
        }
        int node = (int) (((batch.first() + count) / Math.max(1, count)) % nodes);
        SubmitClient client = clients.computeIfAbsent(apiPorts[node], port -> new SubmitClient(
                URI.create("http://127.0.0.1:" + port), http, Duration.ofSeconds(30), SubmitClient.DEFAULT_MAX_BODY_BYTES));
        return client.submitAsync(txs).whenComplete((outcomes, e) -> {
            if (!batch.measured()) {
                return;
            }
            if (outcomes == null) {
                tally.failed.addAndGet(count);
                return;
            }
            for (int k = 0; k < outcomes.size(); k++) {
                switch (outcomes.get(k)) {
                    case SubmitOutcome.Accepted a -> tally.accepted.incrementAndGet();
                    case SubmitOutcome.Backlogged b -> refused(tally, submitted, hashes.get(k));
                    case SubmitOutcome.Refused r when PUSHBACK.contains(r.error()) -> refused(tally, submitted, hashes.get(k));
                    case SubmitOutcome.Refused r -> tally.failed.incrementAndGet();
                }
            }
        });
    }

    private static void refused(Tally tally, ConcurrentHashMap<Bytes32, Long> submitted, Bytes32 hash) {
        tally.refused.incrementAndGet();
        submitted.remove(hash);
    }

    private java.util.concurrent.CompletableFuture<?> submitJson(int[] apiPorts, OfferedLoad.Batch batch,
            ConcurrentHashMap<Bytes32, Long> submitted, Tally tally) {
        int count = batch.count();
        StringBuilder body = new StringBuilder(count * (batch.pad().length * 2 + 40)).append("{\"transactions\":[");
        List<Bytes32> hashes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            byte[] payload = batch.payload(k);
            long ns = batch.namespace(k);
            if (batch.measured()) {
                Bytes32 h = PendingTx.hash(ns, payload);
                hashes.add(h);
                submitted.put(h, System.nanoTime());
            }
            body.append(k == 0 ? "" : ",").append("{\"namespace\":").append(ns).append(",\"payload\":\"0x")
                    .append(HexFormat.of().formatHex(payload)).append("\"}");
        }
        body.append("]}");
        int node = (int) (((batch.first() + count) / Math.max(1, count)) % nodes);
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[node] + "/v0/submit/batch"))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    if (batch.measured()) {
                        tallyJson(r, hashes, submitted, tally);
                    }
                });
    }

    /**
     * The JSON answer's counts. A whole refused request leaves the latency map; an entry refused on its own stays there
     * (the answer is not parsed by position) and simply never meets its block.
     */
    private static void tallyJson(HttpResponse<String> r, List<Bytes32> hashes, ConcurrentHashMap<Bytes32, Long> submitted,
            Tally tally) {
        int count = hashes.size();
        if (r == null) {
            tally.failed.addAndGet(count);
        } else if (r.statusCode() == 429 && r.body().contains("\"error\":\"backlog\"")) {
            hashes.forEach(h -> refused(tally, submitted, h));
        } else if (r.statusCode() != 200) {
            tally.failed.addAndGet(count);
        } else {
            long accepted = count(r.body(), "\"hash\"");
            long pushedBack = PUSHBACK.stream().mapToLong(err -> count(r.body(), "\"error\":\"" + err + "\"")).sum();
            tally.accepted.addAndGet(accepted);
            tally.refused.addAndGet(pushedBack);
            tally.failed.addAndGet(count - accepted - pushedBack);
        }
    }

    private static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}
