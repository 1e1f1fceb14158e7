package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.bench.NetworkBench.NodeView;
import dev.cortado.node.bench.NetworkBench.Result;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's tables: each run's refused rate in its own column, and the nodes' peak resident memory. */
class NetworkReportTest {
    private static RssSampler.Memory peak(double mib) {
        return new RssSampler.Memory(mib - 50, mib, mib - 10);
    }

    private static Result run(String mode, long decided, RssSampler.Memory... memory) {
        Histogram h = new Histogram(60_000_000L, 3);
        h.recordValue(100_000);
        return new Result(mode, 20_000, 10, 200_000, 200_000, 0, decided, decided * 200, 20, h, new double[5], List.of(memory),
                List.of(), new NodeView(0, 0, 0, 0, 0, 0, 0, 0, 0), Map.of(), "1.0 → 2.0");
    }

    private static Result refusing(long refused) {
        Histogram h = new Histogram(60_000_000L, 3);
        h.recordValue(150_000);
        List<RssSampler.Memory> memory = java.util.Collections.nCopies(NetworkBench.NODES + 1, peak(320));
        return new Result("direct", 20_000, 60, 1_200_000, 600_000, refused, 590_000, 118_000_000, 60, h,
                new double[NetworkBench.NODES + 1], memory, List.of(), new NodeView(0, 0, 0, 0, 0, 0, 0, 0, 0), Map.of(), "1.00");
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
        String report = NetworkReport.report(List.of(refusing(540_000)), 200);
        assertEquals("9000", cell(report, "| target tx/s | s | mode |", "refused tx/s"));
        assertEquals("10000", cell(report, "| target tx/s | s | mode |", "accepted tx/s"));
        assertEquals("9000", cell(report, "| target tx/s | mode | runs |", "refused tx/s"));
        String none = NetworkReport.report(List.of(refusing(0)), 200);
        assertEquals("0", cell(none, "| target tx/s | s | mode |", "refused tx/s"));
    }

    @Test
    void peakRssIsTheMedianNodeOfEachRunWithTheLargestNodeBeside() {
        Result a = run("broker", 100, peak(400), peak(500), peak(450), peak(600), peak(300));
        Result b = run("broker", 200, peak(420), peak(410), peak(700), peak(430), peak(310));
        Result c = run("broker", 300, peak(480), peak(470), peak(460), peak(490), peak(320));
        assertEquals(475.0, NetworkReport.medianNodePeakMiB(a), "the broker (last) is not a node");
        assertEquals(425.0, NetworkReport.medianNodePeakMiB(b));
        assertEquals(700.0, NetworkReport.maxNodePeakMiB(List.of(a, b, c)));

        String report = NetworkReport.report(List.of(a, b, c), 200);
        assertTrue(report.contains("| peak RSS MiB | max node peak RSS MiB | broker peak RSS MiB |"), report);
        // Medians 475, 425, 475: the median of the runs is 475, the range 425–475; the broker's runs 300, 310, 320.
        assertEquals("475 (425–475)", cell(report, "| target tx/s | mode | runs |", "peak RSS MiB"));
        assertEquals("700", cell(report, "| target tx/s | mode | runs |", "max node peak RSS MiB"));
        assertEquals("310 (300–320)", cell(report, "| target tx/s | mode | runs |", "broker peak RSS MiB"));
        assertTrue(report.contains("| 20000 | broker | node 1 | 0.0 | 0.00 | 450 | 500 |"), report);
    }

    @Test
    void aDirectRunHasNoBrokerPeak() {
        Result d = run("direct", 100, peak(400), peak(500), peak(450), peak(600), RssSampler.Memory.NONE);
        String report = NetworkReport.report(List.of(d), 200);
        assertEquals("475", cell(report, "| target tx/s | mode | runs |", "peak RSS MiB"));
        assertEquals("600", cell(report, "| target tx/s | mode | runs |", "max node peak RSS MiB"));
        assertEquals("–", cell(report, "| target tx/s | mode | runs |", "broker peak RSS MiB"));
    }
}
