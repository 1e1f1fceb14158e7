package dev.cortado.devnet.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's medians, tables and ratios from given samples. */
class PeersReportTest {
    static final PeersReport.Setup SETUP = new PeersReport.Setup("2026-12-02T00:00:00Z", 200, 20, 5000, 3, "broker", 2, 7936,
            "`load average: 1.00, 1.00, 1.00`", "`load average: 2.00, 1.50, 1.00`", "`load average: 3.00, 2.00, 1.00`",
            "held in all 6 runs", List.of("cortado 10000 tx/s run 4: node 0 did not start"));

    static Sample s(String system, int rate, double decided, double p50) {
        return new Sample(system, rate, 20, rate, rate, decided, p50, p50 * 3, 1.5);
    }

    // Ratis: 2000 tx/s at 10 ms and 10000 at 40 ms; Cortado: 2000 at 200 ms, 10000 saturated at 5000 and 30 s.
    static final List<Sample> RATIS = List.of(s("ratis", 2000, 1990, 12), s("ratis", 2000, 2000, 10), s("ratis", 2000, 1980, 9),
            s("ratis", 10000, 9900, 40), s("ratis", 10000, 9000, 300), s("ratis", 10000, 10000, 35));
    static final List<Sample> CORTADO = List.of(s("cortado", 2000, 2000, 200), s("cortado", 2000, 1990, 180), s("cortado", 2000, 2010, 240),
            s("cortado", 10000, 5000, 30000), s("cortado", 10000, 5100, 29000), s("cortado", 10000, 4900, 31000));

    @Test
    void mediansArePerMetricOverTheRunsOfAPoint() {
        List<PeersReport.Point> r = PeersReport.medians(RATIS);
        assertEquals(List.of(new PeersReport.Point(2000, 3, 2000, 2000, 1990, 10, 30, 1.5),
                new PeersReport.Point(10000, 3, 10000, 10000, 9900, 40, 120, 1.5)), r);
        assertEquals(2.5, PeersReport.median(List.of(s("x", 1, 2, 0), s("x", 1, 3, 0)), Sample::decidedTps));
    }

    @Test
    void throughputAtEqualP50IsTheBestPointWithinTheBound() {
        List<PeersReport.Point> c = PeersReport.medians(CORTADO);
        assertEquals(2000, PeersReport.throughputAtP50(c, 250).orElseThrow());
        assertTrue(PeersReport.throughputAtP50(c, 100).isEmpty());
        assertEquals(9900, PeersReport.throughputAtP50(PeersReport.medians(RATIS), 100).orElseThrow());
    }

    @Test
    void rendersBothTablesTheRatioTheMachineAndTheCaveat() {
        String md = PeersReport.render(SETUP, RATIS, CORTADO);
        assertTrue(md.contains("crash-fault-tolerant only"), md);
        assertTrue(md.contains("it signs nothing"), md);
        assertTrue(md.contains("- 2 cores (`nproc`), 7936 MiB RAM.\n"), md);
        assertTrue(md.contains("- `uptime` before: `load average: 1.00, 1.00, 1.00`\n"), md);
        assertTrue(md.contains("- `uptime` after: `load average: 3.00, 2.00, 1.00`\n"), md);
        assertTrue(md.contains("median of 3 runs per point"), md);
        assertTrue(md.contains("the `runs` column counts the rest): cortado 10000 tx/s run 4: node 0 did not start.\n"), md);
        assertTrue(md.contains("## Apache Ratis\n\n| target tx/s | runs | offered tx/s | accepted tx/s | decided tx/s | p50 ms | p99 ms | CPU cores (all peers) |\n"
                + "|---|---|---|---|---|---|---|---|\n| 2000 | 3 | 2000 | 2000 | 1990 | 10.0 | 30.0 | 1.50 |\n"
                + "| 10000 | 3 | 10000 | 10000 | 9900 | 40.0 | 120.0 | 1.50 |\n"), md);
        assertTrue(md.contains("## Cortado\n\n| target tx/s | runs | offered tx/s | accepted tx/s | decided tx/s | p50 ms | p99 ms | CPU cores (all peers) |\n"
                + "|---|---|---|---|---|---|---|---|\n| 2000 | 3 | 2000 | 2000 | 2000 | 200.0 | 600.0 | 1.50 |\n"
                + "| 10000 | 3 | 10000 | 10000 | 5000 | 30000.0 | 90000.0 | 1.50 |\n"), md);
        assertTrue(md.contains("| 2000 | 1990 | 10.0 | 2000 | 200.0 | 1.01 |\n| 10000 | 9900 | 40.0 | 5000 | 30000.0 | 0.51 |\n"), md);
        // Ratis keeps p50 within 100 ms at the highest rate offered, hence the >=; Cortado does not reach 100 ms.
        assertTrue(md.contains("| 100 | ≥ 9900 | none within bound | n/a |\n"), md);
        assertTrue(md.contains("| 250 | ≥ 9900 | 2000 | 0.20 |\n"), md);
        assertTrue(md.contains("| 1000 | ≥ 9900 | 2000 | 0.20 |\n"), md);
        assertTrue(md.contains("| ratis | 10000 | 20 | 10000 | 10000 | 9000 | 300.0 | 900.0 | 1.50 |\n"), md);
    }

    @Test
    void aPointWithNoDecidedWindowTransactionSaysSoAndIsNeverWithinABound() {
        List<Sample> stalled = List.of(s("cortado", 2000, 700, Double.NaN));
        String md = PeersReport.render(SETUP, RATIS, stalled);
        assertTrue(md.contains("| 2000 | 1 | 2000 | 2000 | 700 | none decided in window | none decided in window | 1.50 |\n"), md);
        assertTrue(md.contains("| 250 | ≥ 9900 | none within bound | n/a |\n"), md);
    }
}
