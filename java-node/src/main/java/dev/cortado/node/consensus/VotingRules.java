package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Optional;

/**
 * The pure voting rules. A replica votes for a proposal in view {@code v} only when
 * {@code v > highestVotedView} and ({@link #safetyCheck} or {@link #livenessCheck}) holds against its lock.
 *
 * <p>Why this is safe with a two-chain decide: when leaf B (view v) is decided, a QC for its child B' in
 * view v+1 exists, so more than 2/3 of stake voted for B' and locked on QC(B). Any later proposal that
 * gathers a QC needs a vote from at least one honest member of that set, whose lock is at least QC(B): by
 * either check the proposal's justify QC is QC(B) or newer, and every certified leaf after view v extends B
 * (induction on the view). A TC carries a high QC its assembler picked, which a Byzantine leader may pick
 * stale; the lock check is what makes such a proposal fail to gather a quorum.
 */
public final class VotingRules {
    private VotingRules() {
    }

    /** The justify QC certifies the locked leaf or a descendant of it: voting cannot fork off the lock. */
    public static boolean safetyCheck(QuorumCertificate justifyQc, QuorumCertificate lockedQc, LeafStore leaves) {
        if (justifyQc.view().isBefore(lockedQc.view())) {
            return false;
        }
        return leaves.extendsLeaf(justifyQc.leafCommitment(), lockedQc.leafCommitment(), lockedQc.view());
    }

    /** The justify QC is newer than the lock: the network certified something this replica has not locked. */
    public static boolean livenessCheck(QuorumCertificate justifyQc, QuorumCertificate lockedQc) {
        return justifyQc.view().isAfter(lockedQc.view());
    }

    /**
     * The proposer's rule: a proposal in view v follows QC(v-1), or TC(v-1) and a justify QC at least as
     * new as the TC's high QC. Returns the violation, if any.
     */
    public static Optional<String> viewChangeRule(View view, QuorumCertificate justifyQc,
            Optional<TimeoutCertificate> viewChange) {
        if (!justifyQc.view().isBefore(view)) {
            return Optional.of("justify QC of " + justifyQc.view() + " is not before the proposal's " + view);
        }
        if (justifyQc.view().value() + 1 == view.value()) {
            return Optional.empty();
        }
        if (viewChange.isEmpty()) {
            return Optional.of("proposal for " + view + " extends QC of " + justifyQc.view()
                    + " without a timeout certificate for the previous view");
        }
        TimeoutCertificate tc = viewChange.get();
        if (tc.view().value() + 1 != view.value()) {
            return Optional.of("timeout certificate is for " + tc.view() + ", not the view before " + view);
        }
        // Whether the justify QC is new enough for the TC is the voters' lock check (mayVote), not validity.
        return Optional.empty();
    }

    /** The leaf structure: the leaf names its justify QC's leaf as parent and its view as justify view. */
    public static Optional<String> leafMatchesJustify(Leaf leaf, Bytes32 justifyLeaf, View justifyView) {
        if (!leaf.parentCommitment().equals(justifyLeaf)) {
            return Optional.of("leaf parent " + leaf.parentCommitment() + " is not the justify QC's leaf "
                    + justifyLeaf);
        }
        if (!leaf.justifyView().equals(justifyView)) {
            return Optional.of("leaf justify view " + leaf.justifyView() + " differs from the QC's " + justifyView);
        }
        return Optional.empty();
    }

    /**
     * The lock after voting for a proposal justified by {@code justifyQc}: the newer of the two, where a lock of an
     * epoch before {@code epoch} is older than anything the current epoch accepts.
     */
    public static QuorumCertificate nextLock(QuorumCertificate lockedQc, QuorumCertificate justifyQc, long epoch) {
        return lockedQc.epoch() < epoch ? justifyQc : lockedQc.max(justifyQc);
    }

    /** Two-chain decide: {@code child} directly follows {@code parent}, one view later, justified by QC(parent). */
    public static boolean formsTwoChain(Leaf parent, Leaf child) {
        return formsTwoChain(parent, child, true);
    }

    static boolean formsTwoChain(Leaf parent, Leaf child, boolean consecutiveViews) {
        return (!consecutiveViews || child.view().value() == parent.view().value() + 1)
                && child.justifyView().equals(parent.view());
    }

    /**
     * The lock check. A replica votes when the justify QC extends its lock ({@link #safetyCheck}), is newer
     * than its lock ({@link #livenessCheck}), or, after a view change, is at least the high QC that the TC
     * proves no TC signer had outdone (Jolteon). The last clause is what closes the hidden lock: a replica
     * locked on a QC nobody else saw still follows a TC whose quorum did not see it, which is safe because a
     * decided leaf's QC was seen by more than 2/3, so every TC carries it or something newer.
     */
    public static boolean mayVote(QuorumCertificate justifyQc, Optional<TimeoutCertificate> viewChange,
            QuorumCertificate lockedQc, LeafStore leaves) {
        return mayVote(justifyQc, viewChange, lockedQc, 0, leaves);
    }

    /**
     * The lock check in epoch {@code epoch}. Locks are ordered by (epoch, view): a lock of an earlier epoch is
     * outdated by the decided handover leaf the current epoch starts from (every leaf this replica still holds
     * extends it, and the proposal's justify QC was checked to be of this epoch or that handover's), so it allows
     * any valid proposal, exactly as a lock on the handover QC would. This is what lets a replica that locked on an
     * old-table suffix leaf (or restarted with such a lock) vote in the new epoch.
     */
    public static boolean mayVote(QuorumCertificate justifyQc, Optional<TimeoutCertificate> viewChange,
            QuorumCertificate lockedQc, long epoch, LeafStore leaves) {
        if (lockedQc.epoch() < epoch) {
            return true;
        }
        if (viewChange.isPresent() && !justifyQc.view().isBefore(viewChange.get().highQc().view())) {
            return true;
        }
        return livenessCheck(justifyQc, lockedQc) || safetyCheck(justifyQc, lockedQc, leaves);
    }
}
