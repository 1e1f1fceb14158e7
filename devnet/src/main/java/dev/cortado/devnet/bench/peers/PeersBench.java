package dev.cortado.devnet.bench.peers;

import dev.cortado.node.bench.NetworkBench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cortado bench peers}: in one run, a 4-peer Apache Ratis group at each offered rate, then Cortado's 4 nodes
 * through {@code bench network}'s own code path at the same rates, each point several times on fresh processes;
 * writes {@code bench/peers.md}.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "Apache Ratis and Cortado side by side at the same offered rates; writes bench/peers.md.")
public final class PeersBench implements Callable<Integer> {
    @Option(names = "--rates", split = ",", defaultValue = "2000,5000,10000,20000", description = "offered tx/s, comma-separated")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per run (default 20)")
    int seconds;

    @Option(names = "--runs", defaultValue = "3", description = "runs per point; the report shows their median (default 3)")
    int runs;

    @Option(names = "--warmup-ms", defaultValue = "5000", description = "load before the measured window (default 5000)")
    long warmupMs;

    @Option(names = "--tx-bytes", defaultValue = "200", description = "transaction size (default 200)")
    int txBytes;

    @Option(names = "--cortado-mode", defaultValue = "broker", description = "broker (4 nodes and a broker, default) or direct")
    String cortadoMode;

    @Option(names = "--quick", description = "about 2 minutes on a quiet machine: rates 2000,10000, 3 s, 4 s warm-up, 3 runs (overrides those options)")
    boolean quick;

    @Option(names = "--out", description = "report path (default bench/peers.md under the checkout)")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PeersBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            rates = List.of(2000, 10000);
            seconds = 3;
            warmupMs = 4000;
            runs = 3;
        }
        if (!cortadoMode.equals("broker") && !cortadoMode.equals("direct")) {
            throw new IllegalArgumentException("--cortado-mode must be broker or direct, not " + cortadoMode);
        }
        if (runs < 1 || seconds < 1 || rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("need runs >= 1, seconds >= 1 and positive rates");
        }
        Path report = out != null ? out : Path.of(System.getProperty("cortado.root", "."), "bench", "peers.md");
        String loadBefore = uptime();
        List<Sample> ratis = new ArrayList<>();
        List<String> notExactlyOnce = new ArrayList<>();
        // A run that cannot start (a node not serving within a minute on a stalled machine) is reported, not fatal.
        List<String> failed = new ArrayList<>();
        for (int rate : rates) {
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                try {
                    RatisLoad.Outcome o = RatisLoad.run(rate, seconds, warmupMs, txBytes);
                    ratis.add(o.sample());
                    if (!o.exactlyOnce()) {
                        notExactlyOnce.add(rate + " tx/s run " + (run + 1) + ": " + o.exactlyOnceDetail());
                    }
                } catch (Exception e) {
                    failed.add("ratis " + rate + " tx/s run " + (run + 1) + ": " + e.getMessage());
                    System.err.println("ratis run failed: " + e);
                }
                System.out.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
            }
        }
        String loadBetween = uptime();
        List<Sample> cortado = new ArrayList<>();
        NetworkBench network = new NetworkBench();
        for (int rate : rates) {
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                try {
                    NetworkBench.Result r = network.run(cortadoMode, cortadoMode.equals("broker"), seconds, rate, txBytes, warmupMs, false);
                    Sample s = cortadoSample(r);
                    System.out.println("  " + s);
                    cortado.add(s);
                } catch (Exception e) {
                    failed.add("cortado " + rate + " tx/s run " + (run + 1) + ": " + e.getMessage());
                    System.err.println("cortado run failed: " + e);
                }
                System.out.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
            }
        }
        String loadAfter = uptime();
        String exactlyOnce = notExactlyOnce.isEmpty() ? "held in all " + ratis.size() + " runs"
                : "FAILED in " + notExactlyOnce.size() + " of " + ratis.size() + " runs (" + String.join("; ", notExactlyOnce) + ")";
        PeersReport.Setup setup = new PeersReport.Setup(Instant.now().toString(), txBytes, seconds, warmupMs, runs, cortadoMode,
                Runtime.getRuntime().availableProcessors(), ramMiB(), loadBefore, loadBetween, loadAfter, exactlyOnce, failed);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, PeersReport.render(setup, ratis, cortado));
        System.out.println("wrote " + report.toAbsolutePath());
        return 0;
    }

    static Sample cortadoSample(NetworkBench.Result r) {
        Histogram h = r.latencyUs();
        double cpu = 0;
        for (double c : r.cpuSeconds()) {
            cpu += Double.isNaN(c) ? 0 : c;
        }
        double s = r.seconds();
        return new Sample("cortado", r.rate(), s, r.offered() / s, r.accepted() / s, r.decidedTxs() / s,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0, cpu / s);
    }

    /** The {@code uptime} line (its load averages), or /proc/loadavg where the command is missing. */
    static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0 && !line.isEmpty()) {
                return "`" + line + "`";
            }
        } catch (IOException e) {
            // fall through to /proc
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return "`/proc/loadavg: " + Files.readString(Path.of("/proc/loadavg")).strip() + "`";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static long ramMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
