package dev.cortado.node.bench;

import dev.cortado.lightclient.api.NamespaceBinary;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * The network benchmark: 4 node processes (and a broker process) on 127.0.0.1, a load generator
 * offering a fixed rate of fixed-size transactions through {@code POST /v0/submit/batch}, and an
 * observer following node 0's {@code /v0/stream/blocks} and reading each block's namespaces to time
 * every transaction from submission to decision. Runs with the broker and then bypassing it, and
 * writes {@code bench/network.md}. Arguments: {@code [rate:seconds,...] [txBytes] [out]}, default
 * {@code 20000:60 200 bench/network.md}; each load point runs with the broker and bypassing it.
 * {@code -Dbench.maxBlockBytes} sets the block size limit (default 1 MiB) and {@code -Dbench.daCommittee=m}
 * makes only nodes {@code 0..m-1} the DA committee (the 5 MB DA mode: {@code -Dbench.maxBlockBytes=5242880
 * -Dbench.daCommittee=3}).
 */
public final class NetworkBench {
    static final int NODES = 4;
    static final int NAMESPACES = OfferedLoad.NAMESPACES;
    public static final long WARMUP_MS = 5_000;
    static final long TICK_MS = OfferedLoad.TICK_MS;
    static final int MAX_IN_FLIGHT = OfferedLoad.MAX_IN_FLIGHT;

    /** Node 0's own counters over the window and its submit-to-decide quantiles (seconds) at the end. */
    public record NodeView(double txs, double bytes, double blocks, double p50, double p99, double p999, double timeoutVotes,
            double blocksRejected, double gossipDropped) {}

    /**
     * One run of one load point; {@code memory} holds each node's resident memory and then the broker's
     * ({@link RssSampler.Memory#NONE} in {@code direct} mode); {@code stages} holds node 0's stage timers over the
     * window, by series name: the seconds spent, the count, and the (decaying) maximum at the end, in seconds.
     * {@code refused} counts the measured transactions the nodes pushed back (429 {@code backlog}, or a full mempool or
     * namespace): offered but not taken.
     */
    public record Result(String mode, int rate, double seconds, long offered, long accepted, long refused, long decidedTxs, long decidedBytes, long blocks,
            Histogram latencyUs, double[] cpuSeconds, List<RssSampler.Memory> memory, List<String> profile, NodeView node0,
            java.util.Map<String, double[]> stages, String loadAverage) {}

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BenchSubmitter submitter = new BenchSubmitter(http, NODES);

    public static void main(String[] args) throws Exception {
        String points = args.length > 0 ? args[0] : "20000:60";
        int txBytes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path out = Path.of(args.length > 2 ? args[2] : "bench/network.md");
        NetworkBench bench = new NetworkBench();
        List<Result> results = new ArrayList<>();
        // Each point runs -Dbench.runs times in each mode; the report gives every run and the median.
        int runs = Math.max(1, Integer.getInteger("bench.runs", 1));
        for (String point : points.split(",")) {
            String[] rs = point.split(":");
            int rate = Integer.parseInt(rs[0]);
            int seconds = Integer.parseInt(rs[1]);
            for (int run = 0; run < runs; run++) {
                results.add(bench.run("broker", true, seconds, rate, txBytes));
                // Rewritten after every run, so a run that fails (a node too slow to start) keeps the ones before.
                write(out, results, txBytes);
                if (!Boolean.getBoolean("bench.brokerOnly")) {
                    results.add(bench.run("direct", false, seconds, rate, txBytes));
                    write(out, results, txBytes);
                }
            }
        }
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static void write(Path out, List<Result> results, int txBytes) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, NetworkReport.report(results, txBytes));
    }

    Result run(String mode, boolean useBroker, int seconds, int rate, int txBytes) throws Exception {
        return run(mode, useBroker, seconds, rate, txBytes, WARMUP_MS, true);
    }

    /**
     * One load point on a fresh cluster; {@code bench peers} calls this too (without JFR on node 0, whose sampling
     * would tax Cortado but not Ratis).
     */
    public Result run(String mode, boolean useBroker, int seconds, int rate, int txBytes, long warmupMs, boolean profileNode0)
            throws Exception {
        Path dir = Files.createTempDirectory("cortado-bench-" + mode);
        System.out.println(mode + ": cluster in " + dir);
        try (BenchCluster c = new BenchCluster(dir, NODES, useBroker, Integer.getInteger("bench.maxBlockBytes", 1 << 20))) {
            String loadBefore = loadAverage();
            c.start(useBroker, profileNode0);
            for (int i = 0; i < NODES; i++) {
                awaitServing(c, i);
            }
            long startHeight = height(c, 0);
            ConcurrentHashMap<Bytes32, Long> submitted = new ConcurrentHashMap<>();
            Observer observer = new Observer(c, startHeight + 1, submitted);
            Thread obs = new Thread(observer, "observer");
            obs.setDaemon(true);
            obs.start();

            BenchSubmitter.Tally tally = new BenchSubmitter.Tally();
            double[][] cpuStart = {null};
            List<java.util.Map<String, Double>> metricsStart = new ArrayList<>(List.of(java.util.Map.of()));
            long offered = OfferedLoad.run(rate, warmupMs, seconds, txBytes, new OfferedLoad.Sink() {
                @Override
                public void measuring() {
                    cpuStart[0] = cpu(c);
                    metricsStart.set(0, scrape(c));
                    observer.measuring(true);
                }

                @Override
                public java.util.concurrent.CompletableFuture<?> send(OfferedLoad.Batch batch) {
                    return submitter.submit(c.apiPorts, batch, submitted, tally);
                }
            });
            double[] cpuEnd = cpu(c);
            java.util.Map<String, Double> metricsEnd = scrape(c);
            String load = loadBefore + " → " + loadAverage();
            NodeView node0 = new NodeView(
                    metricsEnd.getOrDefault("cortado_decided_transactions_total", 0.0) - metricsStart.get(0).getOrDefault("cortado_decided_transactions_total", 0.0),
                    metricsEnd.getOrDefault("cortado_decided_bytes_total", 0.0) - metricsStart.get(0).getOrDefault("cortado_decided_bytes_total", 0.0),
                    metricsEnd.getOrDefault("cortado_decided_blocks_total", 0.0) - metricsStart.get(0).getOrDefault("cortado_decided_blocks_total", 0.0),
                    metricsEnd.getOrDefault("cortado_submit_to_decide_seconds{quantile=\"0.5\"}", Double.NaN),
                    metricsEnd.getOrDefault("cortado_submit_to_decide_seconds{quantile=\"0.99\"}", Double.NaN),
                    metricsEnd.getOrDefault("cortado_submit_to_decide_seconds{quantile=\"0.999\"}", Double.NaN),
                    delta(metricsStart.get(0), metricsEnd, "cortado_consensus_timeout_votes_total"),
                    delta(metricsStart.get(0), metricsEnd, "cortado_blocks_rejected_total"),
                    delta(metricsStart.get(0), metricsEnd, "cortado_gossip_batches_dropped_total"));
            observer.measuring(false);
            double elapsed = seconds;
            double[] cpu = new double[NODES + 1];
            for (int i = 0; i <= NODES; i++) {
                cpu[i] = cpuEnd[i] - (cpuStart[0] == null ? 0 : cpuStart[0][i]);
            }
            List<RssSampler.Memory> memory = c.memory();
            observer.stop();
            c.close();
            List<String> profile = JfrSummary.topFrames(dir.resolve("node0.jfr"), 15);
            if (tally.failed.get() > 0) {
                System.out.println(mode + " " + rate + " tx/s: " + tally.failed.get() + " measured transactions failed"
                        + " (no answer, or refused for a reason other than load)");
            }
            return new Result(mode, rate, elapsed, offered, tally.accepted.get(), tally.refused.get(), observer.txs.get(),
                    observer.bytes.get(),
                    observer.blocks.get(), observer.latencyUs, cpu, memory, profile, node0, stages(metricsStart.get(0), metricsEnd),
                    load);
        }
    }

    /** The machine's 1-minute load average ({@code /proc/loadavg}), or "?" where there is none. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Node 0's stage timers over the window: seconds spent, count (deltas) and the maximum at the end. */
    private static java.util.Map<String, double[]> stages(java.util.Map<String, Double> start, java.util.Map<String, Double> end) {
        java.util.Map<String, double[]> out = new java.util.TreeMap<>();
        for (String key : end.keySet()) {
            if (!key.contains("_seconds_count")) {
                continue;
            }
            String stage = key.replace("_seconds_count", "");
            out.put(stage, new double[] {delta(start, end, key.replace("_count", "_sum")), delta(start, end, key),
                    end.getOrDefault(key.replace("_count", "_max"), Double.NaN)});
        }
        return out;
    }

    private static double delta(java.util.Map<String, Double> start, java.util.Map<String, Double> end, String name) {
        return end.getOrDefault(name, 0.0) - start.getOrDefault(name, 0.0);
    }

    /** Node 0's Prometheus counters and quantiles, keyed by series name with labels. */
    private java.util.Map<String, Double> scrape(BenchCluster c) {
        java.util.Map<String, Double> out = new java.util.HashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPorts[0] + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("cortado_decided_") || line.startsWith("cortado_submit_to_decide_seconds{")
                        || line.startsWith("cortado_consensus_timeout_votes_total") || line.startsWith("cortado_blocks_rejected_total")
                        || line.startsWith("cortado_gossip_batches_dropped_total") || stageSeries(line)) {
                    int sp = line.lastIndexOf(' ');
                    out.put(line.substring(0, sp).replace(",}", "}"), Double.parseDouble(line.substring(sp + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("metrics scrape failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** A stage timer's sum, count or max (the node's {@code StageMetrics}); not the submit-to-decide summary. */
    private static boolean stageSeries(String line) {
        return line.startsWith("cortado_") && !line.startsWith("cortado_submit_to_decide")
                && line.matches("cortado_[a-z_]+_seconds_(sum|count|max)(\\{.*\\})? .*");
    }

    private double[] cpu(BenchCluster c) {
        double[] out = new double[NODES + 1];
        for (int i = 0; i < NODES; i++) {
            out[i] = BenchCluster.cpuSeconds(c.nodes[i]);
        }
        out[NODES] = c.broker == null ? 0 : BenchCluster.cpuSeconds(c.broker);
        return out;
    }

    private void awaitServing(BenchCluster c, int i) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (height(c, i) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + i + " did not start; see " + c.dir.resolve("node" + i + ".log"));
            }
            Thread.sleep(100);
        }
    }

    private long height(BenchCluster c, int i) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPorts[i] + "/v0/status"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? json.readTree(r.body()).get("height").asLong() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Follows node 0's block stream and times each measured transaction when its block is decided. */
    private final class Observer implements Runnable {
        final BenchCluster c;
        final long from;
        final ConcurrentHashMap<Bytes32, Long> submitted;
        final Histogram latencyUs = new Histogram(60_000_000L, 3);
        final AtomicLong txs = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong blocks = new AtomicLong();
        volatile boolean measuring;
        volatile boolean running = true;
        volatile InputStream stream;

        Observer(BenchCluster c, long from, ConcurrentHashMap<Bytes32, Long> submitted) {
            this.c = c;
            this.from = from;
            this.submitted = submitted;
        }

        void measuring(boolean on) {
            measuring = on;
        }

        void stop() {
            running = false;
            try {
                if (stream != null) {
                    stream.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void run() {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPorts[0]
                        + "/v0/stream/blocks?from=" + from)).build(), HttpResponse.BodyHandlers.ofInputStream());
                stream = r.body();
                BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                String line;
                while (running && (line = in.readLine()) != null) {
                    if (line.startsWith("id: ")) {
                        onBlock(Long.parseLong(line.substring(4)));
                    }
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (running) {
                    System.err.println("observer stopped: " + e);
                }
            }
        }

        private void onBlock(long height) throws IOException, InterruptedException {
            long now = System.nanoTime();
            boolean counted = measuring;
            if (counted) {
                blocks.incrementAndGet();
            }
            for (long ns = 1; ns <= NAMESPACES; ns++) {
                // Binary, not hex JSON: at 20,000 tx/s the observer shares node 0's cores, and parsing 1 MiB of hex
                // per block would be load the network under test does not carry.
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPorts[0]
                        + "/v0/block/" + height + "/namespace/" + ns)).header("Accept", NamespaceBinary.MEDIA_TYPE).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    continue;
                }
                for (Transaction tx : NamespaceBinary.decode(r.body()).proof().transactions()) {
                    Long t = submitted.remove(tx.hash());
                    if (counted) {
                        txs.incrementAndGet();
                        bytes.addAndGet(tx.payloadLength());
                    }
                    if (t != null && counted) {
                        latencyUs.recordValue(Math.min(latencyUs.getHighestTrackableValue(), Math.max(0, (now - t) / 1000)));
                    }
                }
            }
        }
    }
}
