package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds of the 100k sweep that stalled before view synchronisation: a flooder at n = 4 and drifting clocks
 * left the honest replicas in different views (one formed each TC and timed out before the next leader even
 * entered the view), and a QC the flooder showed to some replicas reset only their backoff, so the views
 * never lined up again. Each must now decide 5 more leaves within 3n + 30 views after the faults.
 */
class FlooderLivenessRegressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"flooder-n4:75405", "flooder-n4:78445"})
    void decidesAgainAfterTheFaults(String replay) {
        int colon = replay.lastIndexOf(':');
        Simulation.Result result = new Simulation(Scenario.parse(replay.substring(0, colon)),
                Long.parseLong(replay.substring(colon + 1))).run();
        assertNull(result.failure(), () -> result.failure() + "\n" + result.diagnostics());
        assertTrue(result.minDecidedHeight() >= 5, "min decided height " + result.minDecidedHeight());
    }
}
