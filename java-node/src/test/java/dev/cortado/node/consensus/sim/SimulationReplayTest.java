package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Replays one simulation: {@code -Dsim.replay=<scenario>:<seed>}, e.g.
 * {@code ./cortado test -Dtest=SimulationReplayTest -Dsim.replay=mixed-n7:123}. Without the property it
 * checks that replaying is exact: the same (scenario, seed) twice gives the same trace hash.
 */
class SimulationReplayTest {

    @Test
    void replaysTheRequestedSeedOrProvesReplayIsDeterministic() {
        String replay = System.getProperty("sim.replay", "mixed-n7:20261124");
        int colon = replay.lastIndexOf(':');
        Scenario scenario = Scenario.parse(replay.substring(0, colon));
        long seed = Long.parseLong(replay.substring(colon + 1));

        Simulation.Result first = new Simulation(scenario, seed).run();
        Simulation.Result second = new Simulation(scenario, seed).run();
        System.out.printf("replay %s: trace %016x, %d events, min decided height %d, max view %d, %s%n",
                first.replayArgument(), first.traceHash(), first.events(), first.minDecidedHeight(), first.maxView(),
                first.passed() ? "passed" : "FAILED: " + first.failure());
        if (!first.passed()) {
            System.out.println(first.diagnostics());
        }
        assertEquals(first.traceHash(), second.traceHash(), "the same seed replays the same trace");
        assertEquals(first.events(), second.events());
        assertEquals(first.failure(), second.failure());
        assertNull(first.failure(), first.failure());
        assertTrue(first.minDecidedHeight() > 0);
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        Scenario scenario = Scenario.parse("network-n4");
        assertNotEquals(new Simulation(scenario, 1).run().traceHash(), new Simulation(scenario, 2).run().traceHash());
    }

    @Test
    void scenarioNamesRoundTrip() {
        for (int i = 0; i < 40; i++) {
            Scenario s = Scenario.forSweepIndex(i);
            assertEquals(s, Scenario.parse(s.name()));
        }
        assertEquals(new Scenario(Scenario.Mix.DOUBLE_VOTE, 31), Scenario.parse("double-vote-n31"));
    }
}
