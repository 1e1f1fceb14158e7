package dev.cortado.node.consensus.sim;

import java.util.List;
import java.util.Locale;

/**
 * A family of simulations: {@code n} replicas and which faults the faulty ones show. The seed fills in the
 * rest (how many faulty, who, network delays, drops, duplicates, partitions, crash times).
 * Names look like {@code mixed-n7} or {@code double-vote-n4}.
 */
public record Scenario(Mix mix, int n) {
    public enum Mix {
        /** Only network faults: delays, drops, duplicates, reordering, a partition that heals. */
        NETWORK,
        CRASH,
        EQUIVOCATING_LEADER,
        DOUBLE_VOTE,
        WITHHOLD_VOTES,
        STALE_QC,
        FUTURE_SPAM,
        INVALID_SIGNATURES,
        SILENT_LEADER,
        LOCK_FORGETTER,
        BRANCH_BACKER,
        QC_WITHHOLDER,
        FLOODER,
        DA_WITHHOLDER,
        /** Faulty stake exactly 1/3, two-faced across a partition of the honest replicas into two thirds. */
        SPLIT_BRAIN,
        /** Each faulty replica draws its own behaviour. */
        MIXED,
        /** Epochs of a few blocks ({@link SimEpochs}); the faulty replicas forge handovers. Not in the CI sweep. */
        BAD_HANDOVER,
        /**
         * Epochs of a few blocks whose voting tables change ({@link SimEpochs#rotating}): validators join and leave
         * at random epochs; the faulty replicas forge handovers, equivocate, double-vote, withhold votes or crash.
         * Not in the CI sweep ({@code EpochRotationSweepTest}).
         */
        ROTATING_TABLES;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final List<Integer> SIZES = List.of(4, 7, 10, 31);

    /** The mixes of {@link #forSweepIndex}; the epoch runs have their own sweep ({@code EpochSweepTest}). */
    public static final List<Mix> SWEPT = java.util.Arrays.stream(Mix.values()).filter(m -> m != Mix.BAD_HANDOVER && m != Mix.ROTATING_TABLES)
            .toList();

    public Scenario {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one replica, got " + n);
        }
    }

    public int maxFaulty() {
        return (n - 1) / 3;
    }

    public String name() {
        return mix.label() + "-n" + n;
    }

    public static Scenario parse(String name) {
        int dash = name.lastIndexOf("-n");
        if (dash < 0) {
            throw new IllegalArgumentException("scenario name must look like mixed-n7, got " + name);
        }
        String label = name.substring(0, dash);
        int n = Integer.parseInt(name.substring(dash + 2));
        for (Mix m : Mix.values()) {
            if (m.label().equals(label)) {
                return new Scenario(m, n);
            }
        }
        throw new IllegalArgumentException("unknown fault mix '" + label + "' in " + name);
    }

    /**
     * The scenario of sweep index {@code i}: every mix in turn; sizes 4, 7, 10 and 31 in the ratio 4:3:2:1
     * so the sweep stays fast while every size sees every mix.
     */
    public static Scenario forSweepIndex(int i) {
        Mix mix = SWEPT.get(i % SWEPT.size());
        int slot = (i / SWEPT.size()) % 10;
        int n = slot < 4 ? 4 : slot < 7 ? 7 : slot < 9 ? 10 : 31;
        return new Scenario(mix, n);
    }
}
