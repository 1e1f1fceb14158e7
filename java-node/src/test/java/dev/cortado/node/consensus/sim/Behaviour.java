package dev.cortado.node.consensus.sim;

import java.util.Arrays;
import java.util.List;

/**
 * What a faulty replica does. Every faulty replica counts towards f. The first group keeps an honest core
 * and rewrites what it emits ({@link SimNode}); the second group are {@link Adversary} strategies that the
 * honest rules do not constrain ({@link ByzantineReplica}); {@link #SPLIT_BRAIN} is two-faced.
 */
public enum Behaviour {
    HONEST,
    /** Crashes during the fault phase, restarts from its persisted state, and may crash again after the heal. */
    CRASH,
    /** As leader, sends one proposal to half the replicas and a different one to the rest; a third get both. */
    EQUIVOCATING_LEADER,
    /** Votes for its leaf and also for a made-up leaf in the same view. */
    DOUBLE_VOTE,
    /** Never sends quorum or timeout votes. */
    WITHHOLD_VOTES,
    /**
     * As leader, proposes on an older QC it saw instead of its high QC (a fork below the lock); after a
     * timeout it swaps the TC's high QC for that stale QC.
     */
    STALE_QC,
    /** Keeps sending validly signed votes and timeout votes for views far ahead. */
    FUTURE_SPAM,
    /** Corrupts the signature of everything it sends. */
    INVALID_SIGNATURES,
    /** Never proposes when it leads. */
    SILENT_LEADER,
    /** {@link LockForgetter}: votes for the first valid proposal of every view, whatever its lock. */
    LOCK_FORGETTER,
    /** {@link BranchBacker}: votes for both branches of every equivocation and equivocates as leader. */
    BRANCH_BACKER,
    /** {@link QcWithholder}: hides the QCs it forms, releases them late to one replica, forks as leader. */
    QC_WITHHOLDER,
    /** {@link Flooder}: junk, forged and oversized proposals, junk certificates and votes. */
    FLOODER,
    /** {@link DaWithholder}: as leader, gives its block's data to less than 1/3 of the honest stake. */
    DA_WITHHOLDER,
    /** {@link SplitBrainReplica}: one honest face per side of a partition, holding exactly 1/3 of the stake. */
    SPLIT_BRAIN,
    /**
     * An honest core whose blocks break a sequencing right ({@link MarketReplica}); only in market runs
     * ({@link MarketSimulation}), never drawn by the mixed scenario.
     */
    MARKET_LEADER,
    /**
     * {@link HandoverForger}: as leader of an epoch's last block, names a wrong next stake table or none; inside an
     * epoch, now and then names one where none belongs. Only in runs with epochs ({@link SimEpochs}).
     */
    BAD_HANDOVER;

    /** Driven by {@link ByzantineReplica} (no honest core behind what it sends). */
    boolean isAdversary() {
        return ordinal() >= LOCK_FORGETTER.ordinal() && this != SPLIT_BRAIN && this != MARKET_LEADER && this != BAD_HANDOVER;
    }

    /** What a replica of the mixed scenario may draw (the split brain needs its own stake layout). */
    static List<Behaviour> mixable() {
        return Arrays.stream(values()).filter(b -> b != HONEST && b != SPLIT_BRAIN && b != MARKET_LEADER && b != BAD_HANDOVER)
                .toList();
    }
}
