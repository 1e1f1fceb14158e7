package dev.cortado.node.consensus;

import dev.cortado.node.consensus.VoteCollector.Outcome;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Views and timeouts: entering views on certificates, the view timer and its backoff, timeout votes and the
 * TCs they form. The only code that changes the current view.
 */
final class Pacemaker {
    private final CoreState s;
    private final Decider decider;
    private final Proposer proposer;
    private final Voting.DataNotes data;

    private int consecutiveTimeouts;
    private int timerRetries;
    private TimeoutVote ownTimeoutVote;
    /** The last decided view when a view was last entered: a higher anchor since then is progress. */
    private View anchorAtLastEntry;

    Pacemaker(CoreState state, Decider decider, Proposer proposer, Voting.DataNotes data) {
        this.s = state;
        this.decider = decider;
        this.proposer = proposer;
        this.data = data;
        this.anchorAtLastEntry = state.store.anchor().view();
    }

    void start() {
        if (s.started) {
            return;
        }
        s.started = true;
        long first = Math.max(Math.max(s.safety.highestVotedView().value(), s.highQc.view().value() + 1),
                s.store.anchor().view().value() + 1);
        enterView(View.of(first), "start", true);
    }

    /** The only way the view changes. */
    void enterView(View view, String reason, boolean viaQc) {
        if (!view.isAfter(s.currentView)) {
            return;
        }
        s.record("view " + s.currentView.value() + " -> " + view.value(), reason);
        s.currentView = view;
        // The backoff resets only on a decision, never on a QC alone: a Byzantine leader can form QCs and show
        // them to a single replica, which would keep that replica's timer at the base forever while the views
        // still fail; after the heal the timers must be able to grow past whatever an honest view needs.
        View anchor = s.store.anchor().view();
        if (anchor.isAfter(anchorAtLastEntry)) {
            anchorAtLastEntry = anchor;
            consecutiveTimeouts = 0;
        } else if (!viaQc) {
            consecutiveTimeouts++;
        }
        timerRetries = 0;
        ownTimeoutVote = null;
        proposer.forgetRequest();
        s.emit(new Effect.EnteredView(view, s.schedule.leader(view), reason));
        s.emit(new Effect.ScheduleTimeout(view, s.nowMs + timeoutMs()));
        s.votes.pruneBefore(view);
        data.pruneBefore(view);
        s.proposals.headMap(View.of(Math.max(0, view.value() - CoreState.PROPOSAL_HISTORY_VIEWS))).clear();
        proposer.maybeRequestBlock();
        s.replay.addAll(s.future.takeUpTo(view));
    }

    /**
     * A new epoch started inside the current view: the timeout vote signed for the old one is of no use (a vote
     * of the new table, if this replica is in it, is cast when the timer fires again), nor is the old epoch's TC.
     */
    void onEpochEntered() {
        ownTimeoutVote = null;
        s.highTc = Optional.empty();
    }

    private long timeoutMs() {
        int doublings = Math.min(consecutiveTimeouts + timerRetries, 40);
        long ms = s.config.baseTimeoutMs();
        for (int i = 0; i < doublings && ms < s.config.maxTimeoutMs(); i++) {
            ms *= 2;
        }
        return Math.min(ms, s.config.maxTimeoutMs());
    }

    /**
     * A verified QC: raise the high QC, look for a decision, and follow it into the next view. A QC of no use in
     * the current epoch is dropped (the callers refuse messages that carry one); the previous epoch's QC on the
     * decided handover leaf is the one the current epoch builds on until it certifies something itself.
     */
    void observeQc(QuorumCertificate qc, String reason) {
        if (s.foreignQc(qc).isPresent()) {
            return;
        }
        if (s.isHandoverQc(qc)) {
            if (s.handoverQc == null) {
                s.handoverQc = qc;
                s.proofs.complete(qc);
                s.record("learnt the handover QC of epoch " + qc.epoch(), reason);
            }
        } else {
            s.proofs.rememberQc(qc);
        }
        // Only a QC the current epoch accepts may replace the high QC; one left over from the epoch before (other
        // than the handover's) is replaced by whatever this epoch accepts.
        if (qc.view().isAfter(s.highQc.view()) || s.foreignQc(s.highQc).isPresent()) {
            s.highQc = qc;
        }
        if (qc.epoch() == s.epoch && qc.view().isAfter(s.store.anchor().view())) {
            decider.candidate(qc);
        }
        if (!qc.view().isBefore(s.currentView)) {
            enterView(qc.view().next(), reason, true);
        }
    }

    void observeTc(TimeoutCertificate tc, String reason) {
        observeQc(tc.highQc(), "high QC of " + reason);
        if (s.highTc.isEmpty() || tc.view().isAfter(s.highTc.get().view())) {
            s.highTc = Optional.of(tc);
        }
        if (!tc.view().isBefore(s.currentView)) {
            enterView(tc.view().next(), reason, false);
        }
    }

    Verdict onTimer(View view) {
        if (!view.equals(s.currentView)) {
            return new Verdict.Ignore("timer of " + view + " is stale (now " + s.currentView + ")");
        }
        View current = s.currentView;
        timerRetries++;
        s.emit(new Effect.ScheduleTimeout(current, s.nowMs + timeoutMs()));
        s.out.addAll(s.fetcher.retryAll());
        if (timerRetries > 1) {
            s.askForProof();
        }
        if (s.isHandoverQc(s.highQc)) {
            // The new epoch has certified nothing yet: replicas that decided the handover through different commit
            // QCs sit in different views, and only the old epoch's QCs can tell them apart. Show ours again.
            s.proofs.of(s.epoch - 1).ifPresent(proof -> s.emit(new Effect.BroadcastHandoverProof(proof)));
        }
        Optional<TimeoutCertificate> entryTc = s.entryTc();
        Optional<String> silent = whyNoTimeoutVote();
        if (silent.isPresent()) {
            return new Verdict.Accept("timer of " + view + " fired; no timeout vote: " + silent.get());
        }
        if (ownTimeoutVote != null) {
            // The signature covers the high-QC view it was made with: re-send that QC, not a newer one.
            ownTimeoutVote = new TimeoutVote(current, ownTimeoutVote.highQc(), entryTc, s.me,
                    ownTimeoutVote.signature(), ownTimeoutVote.epoch());
            s.emit(new Effect.BroadcastTimeoutVote(ownTimeoutVote));
            return new Verdict.Accept("re-sent the timeout vote for " + current);
        }
        castTimeoutVote("timed out in " + current);
        return new Verdict.Accept("timed out in " + view);
    }

    /**
     * An observer (no stake in the current epoch) never times out, and a member whose high QC the epoch does not
     * accept (it entered the epoch without the handover QC) waits until it learns one: peers would refuse the vote.
     */
    private Optional<String> whyNoTimeoutVote() {
        if (!s.isMember()) {
            return Optional.of("not a member of epoch " + s.epoch);
        }
        return s.foreignQc(s.highQc);
    }

    /** Gives up on the current view: persists that, then signs, broadcasts and counts the timeout vote. */
    private void castTimeoutVote(String reason) {
        if (whyNoTimeoutVote().isPresent()) {
            return;
        }
        announceTimeout(reason);
        countTimeoutVote(s.currentView, s.me, s.highQc.view(), ownTimeoutVote.signature());
    }

    /** Persists giving up on the current view, then signs and broadcasts the timeout vote (not counted here). */
    private void announceTimeout(String reason) {
        if (whyNoTimeoutVote().isPresent()) {
            return;
        }
        View current = s.currentView;
        if (current.isAfter(s.safety.highestVotedView())) {
            s.updateSafety(new SafetyState(current, s.safety.lockedQc()), reason);
        }
        ownTimeoutVote = new TimeoutVote(current, s.highQc, s.entryTc(), s.me,
                s.signer.sign(s.certificates.timeoutDigest(s.epoch, current, s.highQc.view())), s.epoch);
        s.emit(new Effect.BroadcastTimeoutVote(ownTimeoutVote));
    }

    /**
     * Leaves the current view on a TC built from timeout votes. A replica that has not timed out itself still
     * broadcasts its timeout vote first: the TC may rest on Byzantine votes that other honest replicas never got
     * (sent to some only, or refused there as over the sender's budget), and without this vote the next leader
     * can be one short of the TC and enter its own view only when the others already give up on it (found by the
     * 100k sweep, {@code mixed-n4:86432}; {@code ViewSyncTest}).
     */
    private void leaveThroughTc(TimeoutCertificate tc, String reason) {
        if (tc.view().equals(s.currentView) && ownTimeoutVote == null) {
            s.record("timed out on leaving " + s.currentView, reason);
            announceTimeout("timed out on leaving " + s.currentView);
        }
        observeTc(tc, reason);
    }

    /**
     * Cheap checks first (fault 3): origin, view window, usefulness and duplicates cost no crypto; only then
     * may the sender's ration pay for the carried certificates and the signature.
     */
    Verdict onTimeoutVote(int from, TimeoutVote vote) {
        if (vote.epoch() < s.epoch) {
            return s.pastEpoch(from, vote.epoch(), "timeout vote");
        }
        if (vote.epoch() > s.epoch) {
            return s.futureEpoch(from, vote.epoch(), "timeout vote");
        }
        Optional<String> useless = s.foreignQc(vote.highQc())
                .or(() -> vote.lastTc().filter(tc -> tc.epoch() != s.epoch)
                        .map(tc -> "the TC it carries is of epoch " + tc.epoch() + ", not " + s.epoch));
        if (useless.isPresent()) {
            return new Verdict.Ignore("timeout vote of " + vote.voter() + ": " + useless.get());
        }
        Optional<String> bad = s.validator.timeoutVoteOrigin(from, vote);
        if (bad.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.WRONG_ORIGIN, s.currentView);
            return new Verdict.Reject(bad.get());
        }
        View view = vote.view();
        if (view.value() > s.currentView.value() + s.config.maxFutureViews()) {
            s.misbehaviour.note(Misbehaviour.Kind.OUT_OF_WINDOW);
            return new Verdict.Ignore(view + " is more than " + s.config.maxFutureViews() + " views ahead");
        }
        boolean past = view.isBefore(s.currentView);
        boolean newQc = vote.highQc().view().isAfter(s.highQc.view());
        boolean newTc = vote.lastTc().filter(tc -> !tc.view().isBefore(s.currentView)).isPresent();
        if (past && !newQc && !newTc) {
            return new Verdict.Ignore("timeout vote for past " + view + " (now " + s.currentView + ")");
        }
        if (!past && !newQc && !newTc) {
            if (view.isAfter(s.currentView)) {
                return s.buffer(from, view, new Input.TimeoutVoteReceived(from, vote));
            }
            if (s.votes.hasTimeoutVote(view, vote.voter())) {
                s.misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
                return new Verdict.Ignore("duplicate timeout vote of " + vote.voter());
            }
        }
        Optional<Verdict> spent = s.rationSpent(from);
        if (spent.isPresent()) {
            return spent.get();
        }
        Optional<String> certs = s.validator.timeoutVoteCertificates(vote, newTc);
        if (certs.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, s.currentView);
            return new Verdict.Reject(certs.get());
        }
        observeQc(vote.highQc(), "high QC in a timeout vote of " + vote.voter());
        if (newTc) {
            leaveThroughTc(vote.lastTc().get(), "TC in a timeout vote of " + vote.voter());
        }
        if (s.epoch != vote.epoch()) {
            return new Verdict.Ignore("timeout vote of " + vote.voter() + ": its certificates decided the handover of"
                    + " epoch " + vote.epoch() + ", which the vote itself no longer counts in");
        }
        if (view.isBefore(s.currentView)) {
            return new Verdict.Ignore("timeout vote for past " + view + " (now " + s.currentView
                    + "); used its certificates");
        }
        if (view.isAfter(s.currentView)) {
            return s.buffer(from, view, new Input.TimeoutVoteReceived(from, vote));
        }
        if (s.votes.hasTimeoutVote(view, vote.voter())) {
            s.misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
            return new Verdict.Ignore("duplicate timeout vote of " + vote.voter());
        }
        Optional<String> signature = s.validator.timeoutVoteSignature(vote);
        if (signature.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, s.currentView);
            return new Verdict.Reject(signature.get());
        }
        Verdict counted = countTimeoutVote(view, vote.voter(), vote.highQc().view(), vote.signature());
        joinTimeout(view);
        return counted;
    }

    /**
     * View synchronisation (Bracha-style): once timeout votes for the current view hold more than 1/3 of the
     * stake, at least one honest replica gave up on it, so the view cannot complete without a TC anyway. Time
     * out now instead of waiting for the own timer: every honest replica then joins within one message delay
     * of the first f + 1, and all of them hold the TC within one more, whatever their clock rates and backoff.
     */
    private void joinTimeout(View view) {
        if (ownTimeoutVote != null || !view.equals(s.currentView)
                || !s.stakes.exceedsOneThird(s.votes.timeoutStakeGwei(view))) {
            return;
        }
        s.record("joined the timeout of " + view, "timeout votes of more than 1/3 of the stake");
        castTimeoutVote("joined the timeout of " + view);
    }

    private Verdict countTimeoutVote(View view, int voter, View highQcView, Signature signature) {
        return switch (s.votes.addTimeoutVote(view, voter, highQcView, signature)) {
            case Outcome.Counted c -> new Verdict.Accept("timeout vote counted, " + c.stakeGwei() + " gwei so far");
            case Outcome.Duplicate d -> new Verdict.Ignore("duplicate timeout vote of " + voter);
            case Outcome.AlreadyCertified a -> new Verdict.Ignore(view + " has a TC already");
            case Outcome.Equivocation e -> throw new IllegalStateException("timeout votes sign only the view");
            case Outcome.Quorum q -> {
                TimeoutCertificate tc = assembleTc(view, q.signatures());
                leaveThroughTc(tc, "formed the TC of " + view);
                yield new Verdict.Accept("formed the TC of " + view);
            }
        };
    }

    /**
     * One part per signed high-QC view. The TC carries this replica's high QC, which is at least every
     * signer's: each counted vote's QC was verified and observed before it was counted.
     */
    private TimeoutCertificate assembleTc(View view, SortedMap<Integer, Signature> signatures) {
        Map<Integer, View> signedViews = s.votes.timeoutHighQcViews(view);
        TreeMap<View, TreeMap<Integer, Signature>> byHighQcView = new TreeMap<>();
        signatures.forEach((voter, sig) -> byHighQcView.computeIfAbsent(signedViews.get(voter), hv -> new TreeMap<>())
                .put(voter, sig));
        List<TimeoutCertificate.Part> parts = new ArrayList<>();
        byHighQcView.forEach((hv, sigs) -> parts.add(new TimeoutCertificate.Part(hv,
                s.crypto.aggregate(s.certificates.timeoutDigest(s.epoch, view, hv), sigs))));
        return new TimeoutCertificate(view, s.highQc, parts, s.epoch);
    }
}
