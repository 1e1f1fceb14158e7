package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CI sweep: {@code sim.seeds} simulations (default 500) over n in {4, 7, 10, 31} and every fault mix,
 * with up to f faulty replicas. Zero safety violations and zero liveness failures after faults stop.
 * Long sweep: {@code ./cortado test -Dtest=SimulationSweepTest -Dsim.seeds=100000}.
 */
class SimulationSweepTest {
    static final String REPLAY_HINT = "./cortado test -Dtest=SimulationReplayTest -Dsim.replay=";
    static final String RAW_REPLAY_HINT = "mvn -pl java-node -am test -Dsurefire.failIfNoSpecifiedTests=false "
            + "-Dtest=SimulationReplayTest -Dsim.replay=";

    @Test
    void everySeedIsSafeAndLive() {
        int seeds = Integer.getInteger("sim.seeds", 500);
        long firstSeed = Long.getLong("sim.firstSeed", 1);
        List<String> failures = new ArrayList<>();
        Map<Scenario.Mix, Integer> runsByMix = new EnumMap<>(Scenario.Mix.class);
        Map<Integer, Integer> runsBySize = new java.util.TreeMap<>();
        long events = 0;
        Simulation.Stats stats = Simulation.Stats.ZERO;
        Map<Scenario.Mix, Simulation.Stats> statsByMix = new EnumMap<>(Scenario.Mix.class);
        long started = System.nanoTime();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        Map<Scenario.Mix, Long> cpuByMix = new EnumMap<>(Scenario.Mix.class);
        for (int i = 0; i < seeds; i++) {
            Scenario scenario = Scenario.forSweepIndex(i);
            long seed = firstSeed + i;
            long cpuBefore = threads.getCurrentThreadCpuTime();
            Simulation.Result result = new Simulation(scenario, seed).run();
            cpuByMix.merge(scenario.mix(), threads.getCurrentThreadCpuTime() - cpuBefore, Long::sum);
            runsByMix.merge(scenario.mix(), 1, Integer::sum);
            runsBySize.merge(scenario.n(), 1, Integer::sum);
            events += result.events();
            stats = stats.plus(result.stats());
            statsByMix.merge(scenario.mix(), result.stats(), Simulation.Stats::plus);
            if (!result.passed()) {
                String line = "seed " + seed + " of " + scenario.name() + " failed: " + result.failure()
                        + "\n  replay: " + REPLAY_HINT + result.replayArgument()
                        + "\n  or:     " + RAW_REPLAY_HINT + result.replayArgument();
                System.out.println(line);
                failures.add(line);
            }
        }
        System.out.printf("sweep: %d seeds, %d events, %.1f s wall, %.1f s CPU, by size %s, by mix %s%n%s%n", seeds,
                events, (System.nanoTime() - started) / 1e9, (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9,
                runsBySize, runsByMix, stats);
        statsByMix.forEach((mix, s) -> System.out.printf("  %s: %.1f s CPU, %s%n", mix, cpuByMix.get(mix) / 1e9, s));
        assertTrue(failures.isEmpty(), failures.size() + " of " + seeds + " seeds failed:\n"
                + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        if (seeds >= Scenario.SWEPT.size() * 10) {
            assertEquals(Scenario.SWEPT.size(), runsByMix.size(), "every fault mix ran");
            assertEquals(Scenario.SIZES.size(), runsBySize.size(), "every network size ran");
            // The faults really happened: misbehaviour was caught, not silently absent.
            assertTrue(statsByMix.get(Scenario.Mix.EQUIVOCATING_LEADER).evidence() > 0, "equivocation evidence");
            assertTrue(statsByMix.get(Scenario.Mix.DOUBLE_VOTE).evidence() > 0, "double-vote evidence");
            assertTrue(statsByMix.get(Scenario.Mix.INVALID_SIGNATURES).rejects() > 0, "forged messages rejected");
            assertTrue(statsByMix.get(Scenario.Mix.STALE_QC).rejects() > 0, "stale proposals rejected");
            assertTrue(statsByMix.get(Scenario.Mix.SILENT_LEADER).timeoutsFired() > 0, "silent leaders time out");
            assertTrue(statsByMix.get(Scenario.Mix.NETWORK).evidence() == 0, "no evidence without Byzantine replicas");
        }
    }
}
