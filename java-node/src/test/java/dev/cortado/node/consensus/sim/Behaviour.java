package dev.cortado.node.consensus.sim;

/** What a faulty replica does. Every faulty replica counts towards f. */
public enum Behaviour {
    HONEST,
    /** Crashes during the fault phase and restarts from its persisted state when faults stop. */
    CRASH,
    /** As leader, sends one proposal to half the replicas and a different one to the rest; a third get both. */
    EQUIVOCATING_LEADER,
    /** Votes for its leaf and also for a made-up leaf in the same view. */
    DOUBLE_VOTE,
    /** Never sends quorum or timeout votes. */
    WITHHOLD_VOTES,
    /** As leader, proposes on an older QC it saw instead of its high QC (a fork below the lock). */
    STALE_QC,
    /** Keeps sending validly signed votes and timeout votes for views far ahead. */
    FUTURE_SPAM,
    /** Corrupts the signature of everything it sends. */
    INVALID_SIGNATURES,
    /** Never proposes when it leads. */
    SILENT_LEADER
}
