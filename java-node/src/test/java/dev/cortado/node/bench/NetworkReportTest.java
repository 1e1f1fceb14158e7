package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.bench.NetworkBench.NodeView;
import dev.cortado.node.bench.NetworkBench.Result;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class NetworkReportTest {
    private static RssSampler.Memory peak(double mib) {
        return new RssSampler.Memory(mib - 50, mib, mib - 10);
    }

    private static Result run(String mode, long decided, RssSampler.Memory... memory) {
        Histogram h = new Histogram(60_000_000L, 3);
        h.recordValue(100_000);
        return new Result(mode, 20_000, 10, 200_000, 200_000, decided, decided * 200, 20, h, new double[5], List.of(memory),
                List.of(), new NodeView(0, 0, 0, 0, 0, 0, 0, 0, 0), Map.of(), "1.0 → 2.0");
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
        assertTrue(report.contains("| 475 (425–475) | 700 | 310 (300–320) |"), report);
        assertTrue(report.contains("| 20000 | broker | node 1 | 0.0 | 0.00 | 450 | 500 |"), report);
    }

    @Test
    void aDirectRunHasNoBrokerPeak() {
        Result d = run("direct", 100, peak(400), peak(500), peak(450), peak(600), RssSampler.Memory.NONE);
        String report = NetworkReport.report(List.of(d), 200);
        assertTrue(report.contains("| 475 | 600 | – |"), report);
    }
}
