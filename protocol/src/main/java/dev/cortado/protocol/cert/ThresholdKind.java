package dev.cortado.protocol.cert;

import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;

/**
 * Whose stake a certificate counts. A certificate's kind fixes its threshold, so a DA certificate
 * can never be passed off as a quorum certificate or the other way round.
 */
public sealed interface ThresholdKind {
    /** QCs, TCs, light-client certificates: more than 2/3 of all stake. */
    ThresholdKind QUORUM = new Quorum();
    /** DA certificates: more than 2/3 of the DA committee's stake, signed by committee members only. */
    ThresholdKind DA_COMMITTEE = new DaCommittee();

    record Quorum() implements ThresholdKind {
    }

    record DaCommittee() implements ThresholdKind {
    }

    default boolean eligible(StakeEntry entry) {
        return switch (this) {
            case Quorum q -> true;
            case DaCommittee d -> entry.daMember();
        };
    }

    /** The stake the 2/3 threshold is measured against. */
    default long totalStakeGwei(StakeTable table) {
        return switch (this) {
            case Quorum q -> table.totalStakeGwei();
            case DaCommittee d -> table.committeeStakeGwei();
        };
    }

    default String label() {
        return switch (this) {
            case Quorum q -> "quorum";
            case DaCommittee d -> "da-committee";
        };
    }
}
