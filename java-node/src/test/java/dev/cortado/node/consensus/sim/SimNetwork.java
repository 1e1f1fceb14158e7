package dev.cortado.node.consensus.sim;

import java.util.Random;

/**
 * The links between distinct replicas in a {@link Simulation}: what becomes of one message (partitioned, dropped,
 * delayed, duplicated) before and after the heal. Kept apart from the event loop so the fault model is one small
 * piece to read; it draws from the run's single {@link Random} in the order the loop always did (drop, delay,
 * duplicate, delay), so every seed replays the same trace.
 */
final class SimNetwork {
    private final FaultPlan plan;
    private final Random random;
    private final Delays beforeHeal;
    private final Delays afterHeal;
    private boolean healed;

    SimNetwork(FaultPlan plan, Random random, Delays.Network replicas) {
        this.plan = plan;
        this.random = random;
        this.beforeHeal = new Delays.Jitter(plan.baseDelayMs(), plan.jitterMs(), random);
        this.afterHeal = new Delays.Adversarial(plan.baseDelayMs(), plan.baseDelayMs() + plan.jitterMs(),
                plan.afterHeal(), replicas);
    }

    /** From now on nothing is lost and the adversarial scheduler picks every delay within the bound. */
    void heal() {
        healed = true;
    }

    /**
     * The delay of each copy of one message from {@code from} to {@code to} sent at {@code nowMs}: none when the
     * partition or a drop takes it, two when it is duplicated. A link touching a split brain is never partitioned,
     * so both faces keep reaching everyone.
     */
    long[] copiesDelayMs(long nowMs, int from, int to, Payload payload, boolean splitBrainLink) {
        boolean faulty = !healed;
        if (faulty && plan.partitioned(nowMs, from, to) && !splitBrainLink) {
            return new long[0];
        }
        if (faulty && random.nextDouble() < plan.dropProbability()) {
            return new long[0];
        }
        long first = delayMs(from, to, payload);
        if (faulty && random.nextDouble() < plan.duplicateProbability()) {
            return new long[] {first, delayMs(from, to, payload)};
        }
        return new long[] {first};
    }

    private long delayMs(int from, int to, Payload payload) {
        long ms = (healed ? afterHeal : beforeHeal).delayMs(from, to, payload);
        return payload instanceof Payload.DaCert ? ms + plan.daDelayMs() : ms;
    }
}
