package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The epoch sweep: {@code sim.epochSeeds} runs (default 300) of {@link Scenario.Mix#BAD_HANDOVER} over n in
 * {4, 7, 10, 31} (ratio 4:3:2:1), epochs of 2 to 4 blocks, up to f faulty replicas with less than 1/3 of the stake
 * forging every handover they lead, on top of the network faults of every run. Zero safety violations (a decided
 * leaf naming a table the source did not give is one), liveness after the faults stop (five more decisions at every
 * honest replica, which spans at least one handover), and every honest replica decides past a handover.
 * Long sweep: {@code -Dtest=EpochSweepTest -Dsim.epochSeeds=5000}.
 */
class EpochSweepTest {

    /** The scenario of epoch-sweep index {@code i}. */
    static Scenario scenario(int i) {
        int slot = i % 10;
        return new Scenario(Scenario.Mix.BAD_HANDOVER, slot < 4 ? 4 : slot < 7 ? 7 : slot < 9 ? 10 : 31);
    }

    @Test
    void forgedHandoversAreRefusedAndTheChainGoesOnAfterEveryHandover() {
        int seeds = Integer.getInteger("sim.epochSeeds", 300);
        long firstSeed = Long.getLong("sim.firstSeed", 1);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        List<String> failures = new ArrayList<>();
        long handovers = 0;
        Simulation.Stats stats = Simulation.Stats.ZERO;
        for (int i = 0; i < seeds; i++) {
            long seed = firstSeed + i;
            Simulation sim = new Simulation(scenario(i), seed);
            Simulation.Result result = sim.run();
            handovers += sim.handoversDecided();
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
        System.out.printf("epoch sweep: %d seeds, %d handovers decided, %.1f s CPU, %s%n", seeds, handovers,
                (threads.getCurrentThreadCpuTime() - cpu) / 1e9, stats);
        assertTrue(failures.isEmpty(), failures.size() + " of " + seeds + " seeds failed:\n"
                + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        assertTrue(seeds < 20 || stats.rejects() > 0, "forged handovers were proposed and refused");
    }

    @Test
    void anEpochSeedReplaysExactlyByItsName() {
        Scenario scenario = Scenario.parse("bad-handover-n7");
        assertEquals(scenario(4), scenario);
        Simulation.Result first = new Simulation(scenario, 17).run();
        Simulation.Result second = new Simulation(scenario, 17).run();
        assertEquals(first.traceHash(), second.traceHash());
        assertEquals(first.events(), second.events());
        assertNull(first.failure(), first.failure());
    }
}
