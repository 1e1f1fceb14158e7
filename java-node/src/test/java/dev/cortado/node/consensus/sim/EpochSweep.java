package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of an epoch sweep, shared by {@link EpochSweepTest} and {@link EpochRotationSweepTest}:
 * {@code sim.epochSeeds} seeds (default 300) from {@code sim.firstSeed} (default 1) of one mix over n in
 * {4, 7, 10, 31} (ratio 4:3:2:1). A seed fails when its run fails or when an honest replica never decided the block
 * after the first handover; each failure is printed with its replay argument as it happens.
 */
final class EpochSweep {
    /** What a sweep found, and what it cost on this thread. */
    record Totals(int seeds, List<String> failures, long handovers, long proofs, Simulation.Stats stats, double cpuS) {
        String failureSummary() {
            return failures.size() + " of " + seeds + " seeds failed:\n"
                    + String.join("\n", failures.subList(0, Math.min(10, failures.size())));
        }
    }

    private EpochSweep() {
    }

    /** The scenario of sweep index {@code i} for {@code mix}. */
    static Scenario scenario(Scenario.Mix mix, int i) {
        int slot = i % 10;
        return new Scenario(mix, slot < 4 ? 4 : slot < 7 ? 7 : slot < 9 ? 10 : 31);
    }

    /** {@code name} parses to {@code expected}, and seed 17 of it runs twice to the same trace, passing. */
    static void assertReplaysByName(String name, Scenario expected) {
        Scenario scenario = Scenario.parse(name);
        assertEquals(expected, scenario);
        Simulation.Result first = new Simulation(scenario, 17).run();
        Simulation.Result second = new Simulation(scenario, 17).run();
        assertEquals(first.traceHash(), second.traceHash());
        assertEquals(first.events(), second.events());
        assertNull(first.failure(), first.failure());
    }

    static Totals run(Scenario.Mix mix) {
        int seeds = Integer.getInteger("sim.epochSeeds", 300);
        long firstSeed = Long.getLong("sim.firstSeed", 1);
        var threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        List<String> failures = new ArrayList<>();
        long handovers = 0;
        long proofs = 0;
        Simulation.Stats stats = Simulation.Stats.ZERO;
        for (int i = 0; i < seeds; i++) {
            long seed = firstSeed + i;
            Simulation sim = new Simulation(scenario(mix, i), seed);
            Simulation.Result result = sim.run();
            handovers += sim.handoversDecided();
            proofs += sim.handoverProofsSent();
            stats = stats.plus(result.stats());
            long blocksPerEpoch = SimEpochs.schedule(seed).epochBlocks();
            String failure = !result.passed() ? result.failure()
                    : result.minDecidedHeight() < blocksPerEpoch ? "an honest replica stopped at height "
                            + result.minDecidedHeight() + ", before the block after the first handover" : null;
            if (failure != null) {
                String line = result.replayArgument() + " failed: " + failure + "\n  replay: "
                        + SimulationSweepTest.REPLAY_HINT + result.replayArgument();
                System.out.println(line);
                failures.add(line);
            }
        }
        return new Totals(seeds, List.copyOf(failures), handovers, proofs, stats,
                (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
}
