package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's tables carry each run's refused rate in its own column. */
class NetworkReportTest {
    private static NetworkBench.Result run(long refused) {
        Histogram h = new Histogram(60_000_000L, 3);
        h.recordValue(150_000);
        double[][] rss = new double[NetworkBench.NODES + 1][];
        Arrays.fill(rss, new double[] {300, 320});
        return new NetworkBench.Result("direct", 20_000, 60, 1_200_000, 600_000, refused, 590_000, 118_000_000, 60, h,
                new double[NetworkBench.NODES + 1], rss, List.of(), new NetworkBench.NodeView(0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), "1.00");
    }

    /** The cells of the first row under the table whose header starts with {@code headerStart}, by column name. */
    private static String cell(String report, String headerStart, String column) {
        List<String> lines = report.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(headerStart)) {
                List<String> names = split(lines.get(i));
                return split(lines.get(i + 2)).get(names.indexOf(column));
            }
        }
        throw new AssertionError("no table starting " + headerStart + " in\n" + report);
    }

    private static List<String> split(String row) {
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::strip).toList();
    }

    @Test
    void refusedTransactionsGetAColumnInTheRunAndMedianTables() {
        String report = NetworkReport.report(List.of(run(540_000)), 200);
        assertEquals("9000", cell(report, "| target tx/s | s | mode |", "refused tx/s"));
        assertEquals("10000", cell(report, "| target tx/s | s | mode |", "accepted tx/s"));
        assertEquals("9000", cell(report, "| target tx/s | mode | runs |", "refused tx/s"));
        String none = NetworkReport.report(List.of(run(0)), 200);
        assertEquals("0", cell(none, "| target tx/s | s | mode |", "refused tx/s"));
    }
}
