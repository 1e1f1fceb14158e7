package dev.cortado.devnet.sequencer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code ./cortado bench sequencer}: pre-confirmation latency of {@code cortado sequencer} over HTTP on this
 * machine (client and service in one JVM, loopback, keep-alive), the time from a pre-confirmation to its
 * bundle being admitted by a node's real {@code POST /v0/submit/bundle} (seal interval included), and the time
 * from a pre-confirmation to its bundle being decided by a four-node network ({@link BundleDecideBench}). Several
 * runs; the report gives each run's p50/p99, their median and the machine's load. Writes {@code bench/sequencer.md}.
 */
public final class SequencerBenchReport {
    private static final int RUNS = 5;
    private static final int WARMUP = 500;
    private static final int PRECONFS = 2_000;
    private static final int ADMISSIONS = 200;
    private static final long SEAL_MS = 5;
    private static final int DECIDE_WARMUP = 10;
    private static final int DECIDES = 40;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("cortado.root", ".")).resolve("bench/sequencer.md");
        double loadBefore = load();
        List<double[]> pre = new ArrayList<>();
        List<double[]> adm = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            double[][] r = run(run);
            pre.add(r[0]);
            adm.add(r[1]);
            System.out.printf(Locale.ROOT, "run %d: preconf p50 %.3f ms p99 %.3f ms; admitted p50 %.3f ms p99 %.3f ms%n",
                    run + 1, r[0][0], r[0][1], r[1][0], r[1][1]);
        }
        List<double[]> dec = new ArrayList<>();
        Path nodes = Files.createTempDirectory("cortado-bench-sequencer");
        long bundles;
        try (BundleDecideBench b = BundleDecideBench.start(nodes, SEAL_MS)) {
            b.measure(DECIDE_WARMUP);
            for (int run = 0; run < RUNS; run++) {
                Histogram h = b.measure(DECIDES);
                dec.add(new double[] {h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0});
                System.out.printf(Locale.ROOT, "run %d: preconf -> decided p50 %.1f ms p99 %.1f ms%n", run + 1,
                        dec.getLast()[0], dec.getLast()[1]);
            }
            bundles = b.bundlesSubmitted();
        } finally {
            try (var paths = Files.walk(nodes)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double loadAfter = load();
        StringBuilder md = new StringBuilder();
        md.append("# Sequencer: pre-confirmation and bundle-to-decide latency\n\n");
        md.append("`./cortado bench sequencer` (`SequencerBenchReport`). One JVM, loopback HTTP with keep-alive, one client\n")
                .append("sending one transaction per request, sequentially; the service signs one secp256k1 pre-confirmation per\n")
                .append("transaction. Seal interval ").append(SEAL_MS).append(" ms; machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, shared with other jobs.\n\n");
        md.append("**Pre-confirmation and admission.** The node is the real HTTP API with the real market admission and bundle\n")
                .append("pool over a fixed marketplace window. ").append(RUNS).append(" runs of ").append(PRECONFS)
                .append(" pre-confirmations (after ").append(WARMUP).append(" warm-up) and ").append(ADMISSIONS).append(" admissions.\n\n");
        md.append("| run | pre-confirmation p50 (ms) | p99 (ms) | preconf → bundle admitted by a node p50 (ms) | p99 (ms) |\n");
        md.append("|---|---|---|---|---|\n");
        for (int i = 0; i < RUNS; i++) {
            md.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.3f |%n", i + 1, pre.get(i)[0], pre.get(i)[1],
                    adm.get(i)[0], adm.get(i)[1]));
        }
        md.append(String.format(Locale.ROOT, "| **median** | **%.3f** | **%.3f** | **%.3f** | **%.3f** |%n%n",
                median(pre, 0), median(pre, 1), median(adm, 0), median(adm, 1)));
        md.append("Target: pre-confirmation p50 ≤ 10 ms.\n\n");
        md.append("**Bundle to decide.** ").append(String.join("\n", BundleDecideBench.describe())).append(' ')
                .append(RUNS).append(" runs of ").append(DECIDES).append(" (after ").append(DECIDE_WARMUP)
                .append(" warm-up); ").append(bundles).append(" bundles submitted in all.\n\n");
        md.append("| run | preconf → bundle decided p50 (ms) | p99 (ms) |\n|---|---|---|\n");
        for (int i = 0; i < RUNS; i++) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |%n", i + 1, dec.get(i)[0], dec.get(i)[1]));
        }
        md.append(String.format(Locale.ROOT, "| **median** | **%.1f** | **%.1f** |%n%n", median(dec, 0), median(dec, 1)));
        md.append(String.format(Locale.ROOT, "Measured on %s; 1-minute load average %.1f before and %.1f after (on %d cores),%n",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC), loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()))
                .append("so the tails mostly measure the other jobs sharing the machine.\n");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out);
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double[][] run(int run) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (FakeChainNode node = new FakeChainNode(SequencerServiceTest.CHAIN, SequencerServiceTest.MARKET,
                SequencerServiceTest.CLOCK, SequencerServiceTest.WINDOW)) {
            Sequencer sequencer = new Sequencer(SequencerServiceTest.WINNER, SequencerServiceTest.CHAIN,
                    SequencerServiceTest.MARKET, SequencerServiceTest.CLOCK,
                    SequencerServiceTest.rightsOf(SequencerServiceTest.WINNER.address()), System::currentTimeMillis);
            try (SequencerService service = SequencerService.start(sequencer, List.of(node.url),
                    new InetSocketAddress("127.0.0.1", 0), SEAL_MS)) {
                URI uri = URI.create("http://127.0.0.1:" + service.address().getPort() + "/v0/sequencer/submit");
                Histogram preconf = new Histogram(3);
                int tag = run * 1_000_000;
                for (int i = 0; i < WARMUP + PRECONFS; i++) {
                    long t0 = System.nanoTime();
                    send(http, uri, tag++);
                    if (i >= WARMUP) preconf.recordValue((System.nanoTime() - t0) / 1_000);
                }
                Histogram admitted = new Histogram(3);
                for (int i = 0; i < ADMISSIONS; i++) {
                    int before = node.pool.size();
                    send(http, uri, tag++);
                    long t0 = System.nanoTime();
                    while (node.pool.size() == before) Thread.onSpinWait();
                    admitted.recordValue((System.nanoTime() - t0) / 1_000);
                }
                return new double[][] {
                    {preconf.getValueAtPercentile(50) / 1000.0, preconf.getValueAtPercentile(99) / 1000.0},
                    {admitted.getValueAtPercentile(50) / 1000.0, admitted.getValueAtPercentile(99) / 1000.0}};
            }
        }
    }

    private static void send(HttpClient http, URI uri, int tag) throws IOException, InterruptedException {
        String payload = String.format("0x%08x", tag);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"transactions\": [{\"namespace\": 10, \"payload\": \"" + payload
                        + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("sequencer answered " + r.statusCode() + ": " + r.body());
    }
}
