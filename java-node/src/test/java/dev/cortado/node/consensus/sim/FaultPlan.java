package dev.cortado.node.consensus.sim;

import java.util.Random;

/**
 * The network and clock faults of one run, drawn from the seed. Faults (drops, duplicates, jitter,
 * partitions) last until {@code faultEndMs}; then the network heals and an adversarial scheduler
 * ({@code afterHeal}) picks every delay inside the same bound. One run in eight (n at most 10) has a
 * partition lasting minutes of virtual time that leaves no side with a quorum.
 *
 * @param daDelayMs how much longer than the proposal a block's data takes to become available
 * @param clockRates per replica, how fast its local clock (and so its timers) runs against real time
 * @param clockOffsetsMs per replica, where its local clock starts
 * @param crashCycles how many times a crashing replica goes down (the cycles after the first are after the heal)
 */
record FaultPlan(long faultEndMs, long baseDelayMs, long jitterMs, double dropProbability,
        double duplicateProbability, boolean[] partitionSide, long partitionStartMs, long partitionEndMs,
        long daDelayMs, Delays.Strategy afterHeal, double[] clockRates, long[] clockOffsetsMs, int crashCycles) {

    static FaultPlan faultFree(int n) {
        double[] rates = new double[n];
        java.util.Arrays.fill(rates, 1.0);
        return new FaultPlan(0, 5, 0, 0, 0, new boolean[n], 0, 0, 0, Delays.Strategy.SLOW_NEXT_LEADER, rates,
                new long[n], 0);
    }

    /**
     * @param forcedSides when not null, the honest replicas are split along these sides for the whole fault
     *     phase (the split-brain scenario) and nothing is dropped
     */
    static FaultPlan draw(Random random, long[] stakesGwei, boolean[] forcedSides) {
        int n = stakesGwei.length;
        boolean longPartition = forcedSides == null && n <= 10 && random.nextInt(8) == 0;
        long faultEndMs = longPartition ? 60_000 + random.nextInt(120_000) : 3_000 + random.nextInt(12_000);
        // Delays stay well inside the 300 ms base timeout even on the fastest clock (0.8 x 300 ms).
        long baseDelayMs = 2 + random.nextInt(10);
        long jitterMs = random.nextInt(50);
        double drop = forcedSides != null || random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.15;
        double duplicate = random.nextDouble() * 0.05;
        boolean[] sides = new boolean[n];
        long start = 0;
        long end = 0;
        if (forcedSides != null) {
            sides = forcedSides.clone();
            end = faultEndMs;
        } else if (longPartition) {
            sides = balancedSides(random, stakesGwei);
            start = random.nextInt(2_000);
            end = faultEndMs - random.nextInt(5_000);
        } else if (n > 1 && random.nextBoolean()) {
            start = random.nextInt((int) (faultEndMs / 2));
            end = start + random.nextInt((int) (faultEndMs - start));
            for (int i = 0; i < n; i++) {
                sides[i] = random.nextBoolean();
            }
        }
        long daDelayMs = random.nextInt(40);
        Delays.Strategy strategy = Delays.Strategy.values()[random.nextInt(Delays.Strategy.values().length)];
        double[] rates = new double[n];
        long[] offsets = new long[n];
        boolean drift = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            rates[i] = drift ? 0.8 + random.nextDouble() * 0.45 : 1.0;
            offsets[i] = drift ? random.nextInt(1_000_000) : 0;
        }
        int crashCycles = 1 + random.nextInt(3);
        return new FaultPlan(faultEndMs, baseDelayMs, jitterMs, drop, duplicate, sides, start, end, daDelayMs,
                strategy, rates, offsets, crashCycles);
    }

    /** Sides with stake as even as possible, so that a partition stalls both (neither holds 2/3). */
    private static boolean[] balancedSides(Random random, long[] stakesGwei) {
        int n = stakesGwei.length;
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        boolean[] sides = new boolean[n];
        long left = 0;
        long right = 0;
        for (int i : order) {
            sides[i] = left > right;
            if (sides[i]) {
                right += stakesGwei[i];
            } else {
                left += stakesGwei[i];
            }
        }
        return sides;
    }

    boolean partitioned(long nowMs, int from, int to) {
        return nowMs >= partitionStartMs && nowMs < partitionEndMs && partitionSide[from] != partitionSide[to];
    }
}
