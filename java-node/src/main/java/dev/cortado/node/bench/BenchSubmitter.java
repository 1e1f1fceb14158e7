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

/** The network benchmark's load sender: one batch per request to a node, round-robin, timing measured transactions. */
final class BenchSubmitter {
    private final HttpClient http;
    private final int nodes;

    BenchSubmitter(HttpClient http, int nodes) {
        this.http = http;
        this.nodes = nodes;
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
            ConcurrentHashMap<Bytes32, Long> submitted, AtomicLong accepted) {
        return mode().equals("binary") ? submitBinary(apiPorts, batch, submitted, accepted) : submitJson(apiPorts, batch, submitted, accepted);
    }

    private java.util.concurrent.CompletableFuture<?> submitBinary(int[] apiPorts, OfferedLoad.Batch batch,
            ConcurrentHashMap<Bytes32, Long> submitted, AtomicLong accepted) {
        int count = batch.count();
        List<Submission> txs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            byte[] payload = batch.payload(k);
            long ns = batch.namespace(k);
            if (batch.measured()) {
                submitted.put(PendingTx.hash(ns, payload), System.nanoTime());
            }
            txs.add(new Submission(ns, payload));
        }
        int node = (int) (((batch.first() + count) / Math.max(1, count)) % nodes);
        SubmitClient client = clients.computeIfAbsent(apiPorts[node], port -> new SubmitClient(
                URI.create("http://127.0.0.1:" + port), http, Duration.ofSeconds(30), SubmitClient.DEFAULT_MAX_BODY_BYTES));
        return client.submitAsync(txs).whenComplete((outcomes, e) -> {
            if (outcomes != null && batch.measured()) {
                accepted.addAndGet(outcomes.stream().filter(o -> o instanceof SubmitOutcome.Accepted).count());
            }
        });
    }

    private java.util.concurrent.CompletableFuture<?> submitJson(int[] apiPorts, OfferedLoad.Batch batch,
            ConcurrentHashMap<Bytes32, Long> submitted, AtomicLong accepted) {
        int count = batch.count();
        StringBuilder body = new StringBuilder(count * (batch.pad().length * 2 + 40)).append("{\"transactions\":[");
        for (int k = 0; k < count; k++) {
            byte[] payload = batch.payload(k);
            long ns = batch.namespace(k);
            if (batch.measured()) {
                submitted.put(PendingTx.hash(ns, payload), System.nanoTime());
            }
            body.append(k == 0 ? "" : ",").append("{\"namespace\":").append(ns).append(",\"payload\":\"0x")
                    .append(HexFormat.of().formatHex(payload)).append("\"}");
        }
        body.append("]}");
        int node = (int) (((batch.first() + count) / Math.max(1, count)) % nodes);
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[node] + "/v0/submit/batch"))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> {
                    if (r != null && r.statusCode() == 200 && batch.measured()) {
                        accepted.addAndGet(count(r.body(), "\"hash\""));
                    }
                });
    }

    private static long count(String s, String needle) {
        long n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}
