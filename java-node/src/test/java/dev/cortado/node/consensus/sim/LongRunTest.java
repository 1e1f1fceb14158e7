package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * One long run with adversaries that never stop: a mixed coalition at n = 7 (faults, then the heal and the
 * adversarial scheduler), until every honest replica has decided {@code sim.height} leaves (default 1,000;
 * {@code -Dsim.height=100000} for the long run on demand). Any safety or data violation fails it, and so
 * does running dry. It reports events per decided height, which must not grow with the height.
 */
class LongRunTest {

    @Test
    void decidesPastTheTargetHeightWithoutViolations() {
        long height = Long.getLong("sim.height", 1_000);
        String scenario = System.getProperty("sim.longScenario", "mixed-n7");
        long seed = Long.getLong("sim.longSeed", 7);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long half = new Simulation(Scenario.parse(scenario), seed).runToHeight(height / 2);
        long full = new Simulation(Scenario.parse(scenario), seed).runToHeight(height);
        double firstHalf = (double) half / (height / 2);
        double secondHalf = (double) (full - half) / (height - height / 2);
        System.out.printf("long run %s:%d to height %d: %d events, %.1f events per height in the first half, %.1f"
                + " in the second, %.1f s CPU for both runs%n", scenario, seed, height, full, firstHalf, secondHalf,
                (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
        // Work per decided leaf does not grow with height (the second half costs no more than twice the first,
        // which also carries the fault phase).
        assertTrue(secondHalf <= 2 * firstHalf, "events per height grew from " + firstHalf + " to " + secondHalf);
    }
}
