package dev.cortado.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** What the node's JMH report writers share: one run's settings, its scores by method, the load, the file. */
public final class JmhReports {
    private JmhReports() {
    }

    /** Runs {@code benchmark} (1 fork, 3 x 2 s warm-up, 5 x 2 s measured) and returns score and error by method name. */
    public static Map<String, double[]> run(Class<?> benchmark, String maxHeap) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(benchmark.getName()).forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                .measurementTime(TimeValue.seconds(2)).jvmArgs("-Xmx" + maxHeap).build()).run();
        Map<String, double[]> scores = new TreeMap<>();
        for (RunResult r : results) {
            String b = r.getParams().getBenchmark();
            scores.put(b.substring(b.lastIndexOf('.') + 1), new double[] {r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError()});
        }
        return scores;
    }

    /** A table row {@code | `name` | what | score | error |}, or nothing when the benchmark did not run. */
    public static void row(StringBuilder md, Map<String, double[]> scores, String name, String what, String format) {
        double[] v = scores.get(name);
        if (v != null) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s | " + format + " | " + format + " |%n", name, what, v[0], v[1]));
        }
    }

    /** The machine's load as {@code uptime} prints it, for the report's header. */
    public static String uptime() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return s;
    }

    public static void write(Path out, String markdown) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
