package dev.cortado.node.consensus;

import dev.cortado.node.consensus.VoteCollector.Outcome;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Quorum votes: this replica's vote for the current view's proposal (after the DA gate and the voting
 * rule), and, as the next view's leader, collecting votes into a QC.
 */
final class Voting {
    /** Which blocks the driver reported available, per view (a few per view, the current view onwards). */
    static final class DataNotes {
        private static final int BLOCKS_PER_VIEW = 4;
        private final TreeMap<View, List<Bytes32>> available = new TreeMap<>();

        /** False when the view already has this block or its quota of blocks noted. */
        boolean note(View view, Bytes32 blockCommitment) {
            List<Bytes32> blocks = available.computeIfAbsent(view, v -> new ArrayList<>());
            if (blocks.size() >= BLOCKS_PER_VIEW || blocks.contains(blockCommitment)) {
                return false;
            }
            blocks.add(blockCommitment);
            return true;
        }

        boolean isAvailable(View view, Bytes32 blockCommitment) {
            List<Bytes32> blocks = available.get(view);
            return blocks != null && blocks.contains(blockCommitment);
        }

        void pruneBefore(View view) {
            available.headMap(view).clear();
        }
    }

    private final CoreState s;
    private final Pacemaker pacemaker;
    private final DataNotes data;
    private View declinedView = View.ZERO;

    Voting(CoreState state, Pacemaker pacemaker, DataNotes data) {
        this.s = state;
        this.pacemaker = pacemaker;
        this.data = data;
    }

    Verdict onDataAvailable(View view, Bytes32 blockCommitment) {
        if (view.isBefore(s.currentView)) {
            return new Verdict.Ignore("data for past " + view);
        }
        if (view.value() > s.currentView.value() + s.config.maxFutureViews()) {
            return new Verdict.Ignore("data for " + view + " is too far ahead");
        }
        if (!data.note(view, blockCommitment)) {
            return new Verdict.Ignore("data for " + view + " already noted");
        }
        tryVote();
        return new Verdict.Accept("data available for " + view);
    }

    /** Votes for the current view's proposal once its leaf is stored, its data is available and the rules allow. */
    void tryVote() {
        View view = s.currentView;
        CoreState.SeenProposal seen = s.proposals.get(view);
        boolean mayVote = view.isAfter(s.safety.highestVotedView()) || view.equals(s.ownProposalView);
        if (seen == null || !mayVote || declinedView.equals(view) || !s.store.contains(seen.commitment())
                || seen.proposal().epoch() != s.epoch || !s.isMember()) {
            return;
        }
        Leaf leaf = seen.proposal().leaf();
        // A suffix leaf carries no block (LeafIntake refused one that does), so there is no data to wait for.
        boolean suffix = s.config.epochs().isSuffix(s.epoch, leaf.height());
        if (s.rules.dataAvailabilityGate() && !suffix && !data.isAvailable(view, leaf.blockCommitment())) {
            return;
        }
        QuorumCertificate justify = seen.proposal().justifyQc();
        QuorumCertificate lock = s.safety.lockedQc();
        if (s.rules.lockCheck() && !VotingRules.mayVote(justify, seen.proposal().viewChange(), lock, s.epoch,
                s.store)) {
            declinedView = view;
            s.record("no vote in " + view, "justify QC of " + justify.view()
                    + " neither extends nor outdates the lock of " + lock.view() + ", nor reaches the TC's high QC");
            return;
        }
        // Always persisted right before the vote (a no-op write when the leader persisted it on proposing).
        s.updateSafety(new SafetyState(view, VotingRules.nextLock(lock, justify, s.epoch)),
                "voting for the leaf of " + view);
        s.ownProposalView = View.ZERO;
        QuorumVote vote = new QuorumVote(view, seen.commitment(), s.me,
                s.signer.sign(s.certificates.quorumDigest(s.epoch, view, seen.commitment())), s.epoch);
        int nextLeader = s.schedule.leader(view.next());
        if (nextLeader == s.me) {
            s.replay.add(new Input.VoteReceived(s.me, vote));
        } else {
            s.emit(new Effect.SendVote(nextLeader, vote));
        }
    }

    Verdict onVote(int from, QuorumVote vote) {
        if (vote.epoch() < s.epoch) {
            return s.pastEpoch(from, vote.epoch(), "vote");
        }
        if (vote.epoch() > s.epoch) {
            return s.futureEpoch(from, vote.epoch(), "vote");
        }
        Optional<String> origin = s.validator.voteOrigin(from, vote);
        if (origin.isPresent()) {
            return new Verdict.Reject(origin.get());
        }
        if (s.schedule.leader(vote.view().next()) != s.me) {
            return new Verdict.Ignore("not the leader of the view after " + vote.view());
        }
        if (vote.view().isBefore(s.currentView)) {
            return new Verdict.Ignore("vote for past " + vote.view() + " (now " + s.currentView + ")");
        }
        if (vote.view().isAfter(s.currentView)) {
            return s.buffer(from, vote.view(), new Input.VoteReceived(from, vote));
        }
        QuorumVote first = s.votes.firstVote(vote.view(), vote.voter());
        if (first != null && first.equals(vote)) {
            s.misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
            return new Verdict.Ignore("duplicate vote of " + vote.voter());
        }
        Optional<Verdict> spent = s.rationSpent(from);
        if (spent.isPresent()) {
            return spent.get();
        }
        Optional<String> signature = s.validator.voteSignature(vote);
        if (signature.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, s.currentView);
            return new Verdict.Reject(signature.get());
        }
        return switch (s.votes.addQuorumVote(vote)) {
            case Outcome.Counted c -> new Verdict.Accept("vote counted, " + c.stakeGwei() + " gwei so far");
            case Outcome.Duplicate d -> new Verdict.Ignore("duplicate vote of " + vote.voter());
            case Outcome.AlreadyCertified a -> new Verdict.Ignore(vote.view() + " is certified already");
            case Outcome.Equivocation e -> {
                s.keepEvidence(new Evidence.VoteEquivocation(vote.view(), vote.voter(), e.first(), vote));
                s.misbehaviour.strike(from, Misbehaviour.Kind.EQUIVOCATION, s.currentView);
                yield new Verdict.Reject(vote.voter() + " voted for two leaves in " + vote.view());
            }
            case Outcome.Quorum q -> {
                Bytes32 digest = s.certificates.quorumDigest(s.epoch, vote.view(), vote.leafCommitment());
                QuorumCertificate qc = new QuorumCertificate(vote.view(), vote.leafCommitment(),
                        s.crypto.aggregate(digest, q.signatures()), s.epoch);
                pacemaker.observeQc(qc, "formed the QC of " + vote.view());
                yield new Verdict.Accept("formed the QC of " + vote.view());
            }
        };
    }
}
