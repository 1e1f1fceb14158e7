package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.RuleVariants.Variant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mutation check: a sweep that cannot catch a broken rule proves nothing. For each deliberately broken
 * variant of the rules, the CI sweep (same scenario order and seeds as {@link SimulationSweepTest}) must
 * find a violation of the kind that rule protects against within {@code sim.mutationSeeds} seeds; and the
 * correct rules must pass every seed the mutants needed. Weakening the checker (or an adversary) makes this
 * test fail.
 */
class MutationTest {
    private static final int SEED_BUDGET = Integer.getInteger("sim.mutationSeeds", 320);

    /** What each broken rule must lead to. */
    private static final Map<Variant, Set<String>> EXPECTED = Map.of(
            Variant.DECIDE_WITHOUT_CONSECUTIVE_VIEWS, Set.of(SafetyChecker.CONFLICT, SafetyChecker.NOT_EXTENDING),
            Variant.VOTE_WITHOUT_LOCK_CHECK, Set.of(SafetyChecker.CONFLICT, SafetyChecker.NOT_EXTENDING),
            Variant.QC_AT_EXACTLY_TWO_THIRDS, Set.of(SafetyChecker.CONFLICT, SafetyChecker.NOT_EXTENDING,
                    SafetyChecker.DATA),
            Variant.TC_WITHOUT_HIGH_QC_PROOF, Set.of(SafetyChecker.CONFLICT, SafetyChecker.NOT_EXTENDING),
            Variant.DA_GATE_IGNORED, Set.of(SafetyChecker.DATA),
            Variant.HANDOVER_UNCHECKED, Set.of(SafetyChecker.WRONG_TABLE),
            Variant.WRONG_EPOCH_TABLE, Set.of(SafetyChecker.CONFLICT, SafetyChecker.NOT_EXTENDING,
                    SafetyChecker.FOREIGN_SIGNER));

    /**
     * Certificates measured by the genesis table refuse genuine certificates of a later epoch (or accept ones its
     * table would refuse): the simulator fails a run as soon as an honest replica rejects an honest replica's message
     * for it, which is this mutant's catch when no safety violation comes first.
     */
    private static final String HONEST_REJECTED = "rejected a";

    @Test
    void everyBrokenRuleIsCaughtAndTheCorrectRulesPassTheSameSeeds() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        Map<Variant, String> caught = new EnumMap<>(Variant.class);
        List<String> missed = new ArrayList<>();
        int seedsNeeded = 0;
        int epochSeedsNeeded = 0;
        int rotationSeedsNeeded = 0;
        for (Variant variant : Variant.values()) {
            String only = System.getProperty("sim.mutation");
            if (variant == Variant.CORRECT || only != null && !only.equals(variant.name())) {
                continue;
            }
            String found = null;
            for (int i = 0; i < SEED_BUDGET && found == null; i++) {
                // The handover rule only matters with epochs: that mutant runs the epoch sweep's seeds.
                // Tables that change only matter to the epoch-table mutant: it runs the rotating-tables seeds.
                boolean epochs = variant == Variant.HANDOVER_UNCHECKED;
                boolean rotation = variant == Variant.WRONG_EPOCH_TABLE;
                Scenario scenario = epochs ? EpochSweepTest.scenario(i)
                        : rotation ? EpochRotationSweepTest.scenario(i) : Scenario.forSweepIndex(i);
                Simulation.Result result = new Simulation(scenario, 1 + i, variant).run();
                if (rotation && result.violations().isEmpty() && result.failure() != null
                        && result.failure().contains(HONEST_REJECTED)) {
                    found = result.replayArgument() + " (sweep index " + i + "): " + result.failure();
                    rotationSeedsNeeded = Math.max(rotationSeedsNeeded, i + 1);
                }
                for (String violation : result.violations()) {
                    if (EXPECTED.get(variant).stream().anyMatch(violation::startsWith)) {
                        found = result.replayArgument() + " (sweep index " + i + "): " + violation;
                        if (rotation) {
                            rotationSeedsNeeded = Math.max(rotationSeedsNeeded, i + 1);
                        } else if (epochs) {
                            epochSeedsNeeded = Math.max(epochSeedsNeeded, i + 1);
                        } else {
                            seedsNeeded = Math.max(seedsNeeded, i + 1);
                        }
                        break;
                    }
                }
            }
            System.out.println("mutation " + variant + ": " + (found == null ? "NOT CAUGHT in " + SEED_BUDGET
                    + " seeds" : "caught by " + found));
            if (found == null) {
                missed.add(variant.name());
            } else {
                caught.put(variant, found);
            }
        }
        assertTrue(missed.isEmpty(), "broken rules the sweep did not catch in " + SEED_BUDGET + " seeds: " + missed);
        List<String> correctFailures = new ArrayList<>();
        for (int i = 0; i < seedsNeeded; i++) {
            Simulation.Result result = new Simulation(Scenario.forSweepIndex(i), 1 + i).run();
            if (!result.passed()) {
                correctFailures.add(result.replayArgument() + ": " + result.failure());
            }
        }
        for (int i = 0; i < epochSeedsNeeded; i++) {
            Simulation.Result result = new Simulation(EpochSweepTest.scenario(i), 1 + i).run();
            if (!result.passed()) {
                correctFailures.add(result.replayArgument() + ": " + result.failure());
            }
        }
        for (int i = 0; i < rotationSeedsNeeded; i++) {
            Simulation.Result result = new Simulation(EpochRotationSweepTest.scenario(i), 1 + i).run();
            if (!result.passed()) {
                correctFailures.add(result.replayArgument() + ": " + result.failure());
            }
        }
        System.out.printf("correct rules on the first %d sweep seeds, %d epoch seeds and %d rotation seeds: %d failures;"
                + " %.1f s CPU in all%n", seedsNeeded, epochSeedsNeeded, rotationSeedsNeeded, correctFailures.size(),
                (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
        assertTrue(correctFailures.isEmpty(), "the correct rules failed seeds the mutants ran: " + correctFailures);
    }
}
