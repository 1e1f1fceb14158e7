package dev.cortado.node.consensus.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Who is who in one run: the stake of each replica and its behaviour. Up to f replicas are faulty and
 * always hold less than 1/3 of the stake, except in the split-brain scenario, where the coalition holds
 * exactly 1/3 and the honest replicas are split into two sides of exactly 1/3 each ({@code sideB}).
 */
record Cast(long[] stakesGwei, Behaviour[] behaviours, boolean[] sideB) {
    static final long UNIT_GWEI = 32_000_000_000L;
    /** The faults of a rotating-tables run: those of an honest core's rewritten sends (their keys sign any epoch). */
    static final List<Behaviour> ROTATING = List.of(Behaviour.BAD_HANDOVER, Behaviour.EQUIVOCATING_LEADER,
            Behaviour.DOUBLE_VOTE, Behaviour.WITHHOLD_VOTES, Behaviour.CRASH);

    static Cast draw(Random random, Scenario scenario, boolean faultFree) {
        int n = scenario.n();
        int f = scenario.maxFaulty();
        long[] stakes = new long[n];
        boolean weighted = !faultFree && random.nextBoolean();
        for (int i = 0; i < n; i++) {
            stakes[i] = UNIT_GWEI * (weighted ? 1 + random.nextInt(4) : 1);
        }
        Behaviour[] behaviours = new Behaviour[n];
        Arrays.fill(behaviours, Behaviour.HONEST);
        if (faultFree || scenario.mix() == Scenario.Mix.NETWORK || f == 0) {
            return new Cast(stakes, behaviours, null);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        if (scenario.mix() == Scenario.Mix.QC_WITHHOLDER) {
            // A static adversary picks whom to corrupt: here a run of replicas adjacent in the round-robin
            // leader rotation, so the coalition leads consecutive views (what hidden branches need).
            int first = random.nextInt(n);
            order.clear();
            for (int k = 0; k < n; k++) {
                order.add((first + k) % n);
            }
        }
        if (scenario.mix() == Scenario.Mix.SPLIT_BRAIN) {
            return splitBrain(n, f, order);
        }
        int faulty = random.nextInt(3) == 0 ? 1 + random.nextInt(f) : f;
        long total = Arrays.stream(stakes).sum();
        long faultyStake = 0;
        int chosen = 0;
        List<Behaviour> mixable = Behaviour.mixable();
        for (int k = 0; k < n && chosen < faulty; k++) {
            if (3 * (faultyStake + stakes[order.get(k)]) >= total) {
                continue;
            }
            faultyStake += stakes[order.get(k)];
            chosen++;
            behaviours[order.get(k)] = switch (scenario.mix()) {
                case MIXED -> mixable.get(random.nextInt(mixable.size()));
                case ROTATING_TABLES -> ROTATING.get(random.nextInt(ROTATING.size()));
                default -> Behaviour.valueOf(scenario.mix().name());
            };
        }
        return new Cast(stakes, behaviours, null);
    }

    /** f split brains and f honest replicas of side A at (n - 2f) units each; side B's n - 2f at f units each. */
    private static Cast splitBrain(int n, int f, List<Integer> order) {
        long[] stakes = new long[n];
        Behaviour[] behaviours = new Behaviour[n];
        boolean[] sideB = new boolean[n];
        for (int k = 0; k < n; k++) {
            int i = order.get(k);
            behaviours[i] = k < f ? Behaviour.SPLIT_BRAIN : Behaviour.HONEST;
            sideB[i] = k >= 2 * f;
            stakes[i] = UNIT_GWEI * (k < 2 * f ? n - 2L * f : f);
        }
        return new Cast(stakes, behaviours, sideB);
    }
}
