package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return EpochSweep.scenario(Scenario.Mix.BAD_HANDOVER, i);
    }

    @Test
    void forgedHandoversAreRefusedAndTheChainGoesOnAfterEveryHandover() {
        EpochSweep.Totals t = EpochSweep.run(Scenario.Mix.BAD_HANDOVER);
        System.out.printf("epoch sweep: %d seeds, %d handovers decided, %.1f s CPU, %s%n", t.seeds(), t.handovers(),
                t.cpuS(), t.stats());
        assertTrue(t.failures().isEmpty(), t.failureSummary());
        assertTrue(t.seeds() < 20 || t.stats().rejects() > 0, "forged handovers were proposed and refused");
    }

    @Test
    void anEpochSeedReplaysExactlyByItsName() {
        EpochSweep.assertReplaysByName("bad-handover-n7", scenario(4));
    }
}
