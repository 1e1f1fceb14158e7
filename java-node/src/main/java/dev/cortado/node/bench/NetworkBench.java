package dev.cortado.node.bench;

import dev.cortado.node.mempool.PendingTx;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
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

    public record Result(String mode, int rate, double seconds, long offered, long accepted, long decidedTxs, long decidedBytes, long blocks,
            Histogram latencyUs, double[] cpuSeconds, double[][] rss, List<String> profile, NodeView node0) {}

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final BenchSubmitter submitter = new BenchSubmitter(http, NODES);

    public static void main(String[] args) throws Exception {
        String points = args.length > 0 ? args[0] : "20000:60";
        int txBytes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path out = Path.of(args.length > 2 ? args[2] : "bench/network.md");
        NetworkBench bench = new NetworkBench();
        List<Result> results = new ArrayList<>();
        for (String point : points.split(",")) {
            String[] rs = point.split(":");
            int rate = Integer.parseInt(rs[0]);
            int seconds = Integer.parseInt(rs[1]);
            results.add(bench.run("broker", true, seconds, rate, txBytes));
            if (!Boolean.getBoolean("bench.brokerOnly")) {
                results.add(bench.run("direct", false, seconds, rate, txBytes));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report(results, txBytes));
        System.out.println("wrote " + out.toAbsolutePath());
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

            AtomicLong accepted = new AtomicLong();
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
                    return submitter.submit(c.apiPorts, batch, submitted, accepted);
                }
            });
            double[] cpuEnd = cpu(c);
            java.util.Map<String, Double> metricsEnd = scrape(c);
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
            double[][] rss = new double[NODES + 1][];
            for (int i = 0; i <= NODES; i++) {
                cpu[i] = cpuEnd[i] - (cpuStart[0] == null ? 0 : cpuStart[0][i]);
                Process p = i < NODES ? c.nodes[i] : c.broker;
                rss[i] = p == null ? new double[] {Double.NaN, Double.NaN} : BenchCluster.rssMiB(p);
            }
            observer.stop();
            c.close();
            List<String> profile = JfrSummary.topFrames(dir.resolve("node0.jfr"), 15);
            return new Result(mode, rate, elapsed, offered, accepted.get(), observer.txs.get(), observer.bytes.get(),
                    observer.blocks.get(), observer.latencyUs, cpu, rss, profile, node0);
        }
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
                        || line.startsWith("cortado_gossip_batches_dropped_total")) {
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

    private double[] cpu(BenchCluster c) {
        double[] out = new double[NODES + 1];
        for (int i = 0; i < NODES; i++) {
            out[i] = BenchCluster.cpuSeconds(c.nodes[i]);
        }
        out[NODES] = c.broker == null ? 0 : BenchCluster.cpuSeconds(c.broker);
        return out;
    }

    private void awaitServing(BenchCluster c, int i) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
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
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPorts[0]
                        + "/v0/block/" + height + "/namespace/" + ns)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    continue;
                }
                JsonNode txList = json.readTree(r.body()).get("transactions");
                for (JsonNode tx : txList) {
                    String hex = tx.asString();
                    byte[] payload = HexFormat.of().parseHex(hex, 2, hex.length());
                    Long t = submitted.remove(PendingTx.hash(ns, payload));
                    if (counted) {
                        txs.incrementAndGet();
                        bytes.addAndGet(payload.length);
                    }
                    if (t != null && counted) {
                        latencyUs.recordValue(Math.min(latencyUs.getHighestTrackableValue(), Math.max(0, (now - t) / 1000)));
                    }
                }
            }
        }
    }

    static String report(List<Result> results, int txBytes) {
        StringBuilder s = new StringBuilder();
        s.append("# Network benchmark\n\n");
        s.append("Generated by `dev.cortado.node.bench.NetworkBench` (`./cortado bench network`) on ")
                .append(Instant.now()).append(".\n\n");
        s.append("## Load\n\n");
        s.append("- 4 node processes (and, in `broker` mode, one broker process) on 127.0.0.1, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores visible, shared with the load generator.\n");
        s.append("- Offered rates and durations as in the tables, ").append(txBytes).append("-byte transactions over ")
                .append(NAMESPACES).append(" namespaces, sent every ").append(TICK_MS).append(" ms as one ")
                .append(BenchSubmitter.mode().equals("binary") ? "`POST /v0/submit/binary` (length-prefixed binary, `SubmitClient`) "
                        : "`POST /v0/submit/batch` (hex JSON) ")
                .append("round-robin over the nodes (at most ").append(MAX_IN_FLIGHT).append(" requests in flight; ticks beyond that are skipped, ")
                .append("so `offered` below counts what was actually sent).\n");
        int maxBlock = Integer.getInteger("bench.maxBlockBytes", 1 << 20);
        s.append("- ").append(WARMUP_MS / 1000).append(" s warm-up, then the measured window. Max block ")
                .append(maxBlock == 1 << 20 ? "1 MiB" : maxBlock + " bytes").append(". DA committee: nodes 0..")
                .append(Integer.getInteger("bench.daCommittee", 4) - 1).append(" (members get full blocks, others their VID share; ")
                .append("replicas vote only with a DA certificate and their own verified share).\n");
        s.append("- Latency: from handing the batch to the HTTP client to node 0 streaming the block over SSE and the observer ")
                .append("reading its namespaces (HdrHistogram), for transactions submitted in the measured window.\n\n");
        s.append("## Results\n\n");
        s.append("| target tx/s | s | mode | offered tx/s | accepted tx/s | decided tx/s | decided MB/s | blocks/s | p50 ms | p99 ms | p99.9 ms | decided/measured |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Histogram h = r.latencyUs();
            s.append(String.format(Locale.ROOT, "| %d | %.0f | %s | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f | %.1f | %d/%d |%n",
                    r.rate(), r.seconds(), r.mode(),
                    r.offered() / r.seconds(), r.accepted() / r.seconds(), r.decidedTxs() / r.seconds(),
                    r.decidedBytes() / r.seconds() / 1e6, r.blocks() / r.seconds(), h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getTotalCount(), r.offered()));
        }
        s.append("\nThe same runs seen by node 0 itself (its Prometheus counters over the window, and its Micrometer ")
                .append("submit-to-decide quantiles for transactions submitted to node 0, at the end of the run):\n\n");
        s.append("| target tx/s | mode | decided tx/s | decided MB/s | blocks/s | p50 ms | p99 ms | p99.9 ms | timeout votes | blocks refused | gossip batches dropped |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            NodeView v = r.node0();
            s.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |%n", r.rate(),
                    r.mode(), v.txs() / r.seconds(), v.bytes() / r.seconds() / 1e6, v.blocks() / r.seconds(), v.p50() * 1000,
                    v.p99() * 1000, v.p999() * 1000, v.timeoutVotes(), v.blocksRejected(), v.gossipDropped()));
        }
        s.append("\n## CPU and memory per process\n\n");
        s.append("| target tx/s | mode | process | CPU s (measured window) | CPU cores | RSS MiB at end | peak RSS MiB |\n|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            for (int i = 0; i <= NODES; i++) {
                String name = i < NODES ? "node " + i : "broker";
                if (i == NODES && r.mode().equals("direct")) {
                    continue;
                }
                s.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.2f | %.0f | %.0f |%n", r.rate(), r.mode(), name, r.cpuSeconds()[i],
                        r.cpuSeconds()[i] / r.seconds(), r.rss()[i][0], r.rss()[i][1]));
            }
        }
        for (Result r : results) {
            s.append("\n## Where node 0 spends its time (").append(r.rate()).append(" tx/s, `").append(r.mode())
                    .append("`, JFR execution samples)\n\n");
            r.profile().forEach(line -> s.append("    ").append(line).append('\n'));
        }
        return s.toString();
    }
}
