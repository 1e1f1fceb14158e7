package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same simulator on real BLS12-381 (the {@code BlsConsensusCrypto} adapter over the protocol's BLS,
 * stake table and certificate verifier): 10 seeds at n = 4 (every fault mix) and 3 at n = 7.
 */
class BlsSimulationTest {

    @Test
    void realBlsSweepIsSafeAndLive() {
        List<String> failures = new ArrayList<>();
        Scenario.Mix[] mixes = Scenario.SWEPT.toArray(new Scenario.Mix[0]);
        // n = 4: every mix once. n = 7: the mixes that lean hardest on certificates (a TC with a swapped
        // high QC, split proposals, restarts), leaving out spam, whose cost is signature checks only.
        List<Scenario.Mix> larger = List.of(Scenario.Mix.STALE_QC, Scenario.Mix.EQUIVOCATING_LEADER,
                Scenario.Mix.CRASH);
        for (int i = 0; i < 13; i++) {
            int n = i < 10 ? 4 : 7;
            Scenario scenario = new Scenario(i < 10 ? mixes[(i * 3) % mixes.length] : larger.get(i - 10), n);
            long seed = 1_000 + i;
            Simulation.Result result = new Simulation(scenario, seed, BlsKeySetup::new).run();
            System.out.printf("bls %s: %s, min decided height %d, %d events%n", result.replayArgument(),
                    result.passed() ? "passed" : result.failure(), result.minDecidedHeight(), result.events());
            if (!result.passed()) {
                failures.add(result.replayArgument() + ": " + result.failure());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
