package dev.cortado.node.consensus;

import dev.cortado.node.consensus.VoteCollector.Outcome;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One replica's HotShot consensus as a pure state machine: {@link #handle(Input, long)} returns the effects
 * the driver must carry out, in order. No clock, threads, randomness or I/O; the driver feeds inputs from one
 * thread. Contract: a {@link Effect.PersistSafety} precedes the vote it protects, and the driver persists it
 * durably before sending that vote. Construct a restarted replica with the persisted {@link SafetyState} and
 * the last decided leaf: it never votes twice in a view.
 */
public final class ConsensusCore {
    private record SeenProposal(Proposal proposal, Bytes32 commitment) {
    }

    private record Deferred(int from, SeenProposal seen) {
    }

    private record BuildRequest(View view, Leaf parent, QuorumCertificate justifyQc,
            Optional<TimeoutCertificate> viewChange) {
    }

    private static final int PROPOSAL_HISTORY_VIEWS = 64;

    private final ConsensusConfig config;
    private final Rules rules;
    private final ConsensusSigner signer;
    private final ConsensusCrypto crypto;
    private final StakeWeights stakes;
    private final LeaderSchedule schedule;
    private final CertificateValidator certificates;
    private final MessageValidator validator;
    private final LeafFetcher fetcher;
    private final LeafStore store;
    private final VoteCollector votes;
    private final FutureBuffer future;
    private final Misbehaviour misbehaviour;
    private final int me;

    private final Journal journal = new Journal();
    private final TreeMap<View, SeenProposal> proposals = new TreeMap<>();
    private final TreeMap<View, List<Bytes32>> available = new TreeMap<>();
    private final Map<Bytes32, List<Deferred>> waitingOnParent = new HashMap<>();
    private final TreeMap<View, QuorumCertificate> decideCandidates = new TreeMap<>();
    private final ArrayDeque<Input> replay = new ArrayDeque<>();

    private SafetyState safety;
    private QuorumCertificate highQc;
    private Optional<TimeoutCertificate> highTc = Optional.empty();
    private View currentView = View.ZERO;
    private boolean started;
    private int consecutiveTimeouts;
    private int timerRetries;
    private View declinedView = View.ZERO;
    private View ownProposalView = View.ZERO;
    private TimeoutVote ownTimeoutVote;
    private BuildRequest buildRequest;
    private int deferredCount;
    private long nowMs;
    private List<Effect> out = new ArrayList<>();

    /**
     * @param safety persisted safety state ({@link SafetyState#initial} for a fresh replica)
     * @param lastDecided last decided leaf ({@link Leaf#genesis} for a fresh replica)
     */
    public ConsensusCore(ConsensusConfig config, ConsensusSigner signer, ConsensusCrypto crypto, SafetyState safety,
            Leaf lastDecided) {
        this(config, signer, crypto, safety, lastDecided, Rules.CORRECT);
    }

    /** With deliberately broken {@code rules}: only the mutation check in the test suite builds these. */
    ConsensusCore(ConsensusConfig config, ConsensusSigner signer, ConsensusCrypto crypto, SafetyState safety,
            Leaf lastDecided, Rules rules) {
        this.rules = rules;
        this.config = config;
        this.signer = signer;
        this.crypto = crypto;
        this.stakes = config.stakes();
        this.me = signer.index();
        if (!stakes.contains(me)) {
            throw new IllegalArgumentException("signer index " + me + " is outside the stake table of " + stakes.size());
        }
        if (lastDecided.chainId() != config.chainId()) {
            throw new IllegalArgumentException("last decided leaf is for chain " + lastDecided.chainId());
        }
        this.schedule = new LeaderSchedule(stakes);
        this.certificates = new CertificateValidator(config.chainId(), stakes, crypto, rules);
        this.fetcher = new LeafFetcher(me, stakes.size(), config.maxPendingLeaves());
        this.validator = new MessageValidator(config.chainId(), stakes, schedule, certificates, crypto);
        this.store = new LeafStore(lastDecided, config.maxPendingLeaves());
        this.votes = new VoteCollector(stakes, rules);
        this.future = new FutureBuffer(stakes.size(), config.futureBufferPerSender(), config.futureBufferTotal());
        this.misbehaviour = new Misbehaviour(stakes.size());
        this.safety = safety;
        this.highQc = safety.lockedQc();
    }

    /** Applies one input; returns the effects to carry out in order. */
    public List<Effect> handle(Input input, long nowMs) {
        this.nowMs = nowMs;
        this.out = new ArrayList<>();
        dispatch(input);
        while (!replay.isEmpty()) {
            dispatch(replay.poll());
        }
        return Collections.unmodifiableList(out);
    }

    private void dispatch(Input input) {
        switch (input) {
            case Input.Start s -> start();
            case Input.ProposalReceived p -> log("proposal", p.from(), p.proposal().leaf().view(),
                    started ? onProposal(p.from(), p.proposal()) : notStarted());
            case Input.VoteReceived v -> log("vote", v.from(), v.vote().view(),
                    started ? onVote(v.from(), v.vote()) : notStarted());
            case Input.TimeoutVoteReceived t -> log("timeout-vote", t.from(), t.vote().view(),
                    started ? onTimeoutVote(t.from(), t.vote()) : notStarted());
            case Input.Timeout t -> log("timer", me, t.view(), started ? onTimer(t.view()) : notStarted());
            case Input.BlockBuilt b -> log("block-built", me, b.view(), onBlockBuilt(b.view(), b.blockCommitment()));
            case Input.DataAvailable d -> log("data-available", me, d.view(),
                    onDataAvailable(d.view(), d.blockCommitment()));
            case Input.LeavesReceived l -> log("leaves", l.from(), currentView, onLeaves(l.from(), l.leaves()));
        }
    }

    private static Verdict notStarted() {
        return new Verdict.Ignore("core not started");
    }

    private void log(String input, int from, View view, Verdict verdict) {
        out.add(new Effect.LogVerdict(input, from, view, verdict));
    }

    // ---------------------------------------------------------------- start and views

    private void start() {
        if (started) {
            return;
        }
        started = true;
        long first = Math.max(Math.max(safety.highestVotedView().value(), highQc.view().value() + 1),
                store.anchor().view().value() + 1);
        enterView(View.of(first), "start", true);
    }

    /** The only way the view changes. */
    private void enterView(View view, String reason, boolean progress) {
        if (!view.isAfter(currentView)) {
            return;
        }
        record("view " + currentView.value() + " -> " + view.value(), reason);
        currentView = view;
        consecutiveTimeouts = progress ? 0 : consecutiveTimeouts + 1;
        timerRetries = 0;
        ownTimeoutVote = null;
        buildRequest = null;
        out.add(new Effect.EnteredView(view, schedule.leader(view), reason));
        out.add(new Effect.ScheduleTimeout(view, nowMs + timeoutMs()));
        votes.pruneBefore(view);
        available.headMap(view).clear();
        proposals.headMap(View.of(Math.max(0, view.value() - PROPOSAL_HISTORY_VIEWS))).clear();
        maybeRequestBlock();
        replay.addAll(future.takeUpTo(view));
    }

    private long timeoutMs() {
        int doublings = Math.min(consecutiveTimeouts + timerRetries, 40);
        long ms = config.baseTimeoutMs();
        for (int i = 0; i < doublings && ms < config.maxTimeoutMs(); i++) {
            ms *= 2;
        }
        return Math.min(ms, config.maxTimeoutMs());
    }

    private void updateSafety(SafetyState next, String reason) {
        record("safety " + safety.highestVotedView().value() + "/" + safety.lockedQc().view().value() + " -> "
                + next.highestVotedView().value() + "/" + next.lockedQc().view().value(), reason);
        safety = next;
        out.add(new Effect.PersistSafety(next));
    }

    private void keepEvidence(Evidence e) {
        journal.keep(e);
        out.add(new Effect.ReportEquivocation(e));
    }

    private void record(String change, String reason) {
        journal.record(nowMs, currentView, change, reason);
    }

    /** A verified QC: raise the high QC, look for a decision, and follow it into the next view. */
    private void observeQc(QuorumCertificate qc, String reason) {
        if (qc.view().isAfter(highQc.view())) {
            highQc = qc;
        }
        if (qc.view().isAfter(store.anchor().view())) {
            decideCandidates.putIfAbsent(qc.view(), qc);
            tryDecide();
        }
        if (!qc.view().isBefore(currentView)) {
            enterView(qc.view().next(), reason, true);
        }
    }

    private void observeTc(TimeoutCertificate tc, String reason) {
        observeQc(tc.highQc(), "high QC of " + reason);
        if (highTc.isEmpty() || tc.view().isAfter(highTc.get().view())) {
            highTc = Optional.of(tc);
        }
        if (!tc.view().isBefore(currentView)) {
            enterView(tc.view().next(), reason, false);
        }
    }

    // ---------------------------------------------------------------- proposals

    private Verdict onProposal(int from, Proposal p) {
        Leaf leaf = p.leaf();
        View view = leaf.view();
        Optional<String> origin = validator.proposalOrigin(from, p);
        if (origin.isPresent()) {
            return new Verdict.Reject(origin.get());
        }
        if (!view.isAfter(store.anchor().view())) {
            return new Verdict.Ignore("proposal for " + view + " at or below the last decision");
        }
        Bytes32 commitment = leaf.commitment();
        SeenProposal first = proposals.get(view);
        if (first != null && first.commitment().equals(commitment)) {
            return new Verdict.Ignore("duplicate proposal for " + view);
        }
        if (!misbehaviour.mayVerify(from, currentView)) {
            return new Verdict.Ignore("sender " + from + " sent invalid messages; its ration for " + currentView
                    + " is spent");
        }
        Optional<String> signature = validator.proposalSignature(p, commitment);
        if (signature.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, currentView);
            return new Verdict.Reject(signature.get());
        }
        if (first != null) {
            Evidence e = new Evidence.ProposalEquivocation(view, p.proposer(), first.proposal(), p);
            keepEvidence(e);
            misbehaviour.strike(from, Misbehaviour.Kind.EQUIVOCATION, currentView);
            return new Verdict.Reject("leader " + p.proposer() + " proposed two leaves in " + view);
        }
        Optional<String> bad = validator.proposalBody(p);
        if (bad.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, currentView);
            return new Verdict.Reject(bad.get());
        }
        SeenProposal seen = new SeenProposal(p, commitment);
        proposals.put(view, seen);
        observeQc(p.justifyQc(), "justify QC of the proposal for " + view);
        p.viewChange().ifPresent(tc -> observeTc(tc, "TC in the proposal for " + view));
        Verdict stored = attachProposedLeaf(from, seen);
        if (view.isBefore(currentView) && !(stored instanceof Verdict.Reject)) {
            return new Verdict.Ignore("proposal for past " + view + " (now " + currentView + "); kept its leaf");
        }
        return stored;
    }

    /** Stores the proposal's leaf once its parent is known; defers (and fetches the parent) otherwise. */
    private Verdict attachProposedLeaf(int from, SeenProposal seen) {
        Leaf leaf = seen.proposal().leaf();
        Leaf parent = store.get(leaf.parentCommitment());
        if (parent == null) {
            if (deferredCount >= config.maxPendingLeaves()) {
                return new Verdict.Ignore("too many proposals wait for their parent");
            }
            waitingOnParent.computeIfAbsent(leaf.parentCommitment(), c -> new ArrayList<>())
                    .add(new Deferred(from, seen));
            deferredCount++;
            fetch(leaf.parentCommitment(), from);
            return new Verdict.Defer("parent " + leaf.parentCommitment() + " unknown; fetching it from " + from);
        }
        if (!leaf.height().equals(parent.height().next())) {
            return new Verdict.Reject("height " + leaf.height().value() + " is not parent height "
                    + parent.height().value() + " + 1");
        }
        if (!store.add(seen.commitment(), leaf)) {
            return new Verdict.Ignore("leaf of " + leaf.view() + " no longer extends the last decision");
        }
        onLeafStored(seen.commitment());
        return new Verdict.Accept("proposal for " + leaf.view() + " stored");
    }

    private void onLeafStored(Bytes32 commitment) {
        ArrayDeque<Bytes32> work = new ArrayDeque<>();
        work.add(commitment);
        while (!work.isEmpty()) {
            Bytes32 c = work.poll();
            fetcher.received(c);
            for (Map.Entry<Bytes32, Leaf> child : store.takeOrphanChildren(c)) {
                if (store.add(child.getKey(), child.getValue())) {
                    work.add(child.getKey());
                }
            }
            List<Deferred> waiting = waitingOnParent.remove(c);
            if (waiting != null) {
                deferredCount -= waiting.size();
                for (Deferred d : waiting) {
                    Verdict v = attachProposedLeaf(d.from(), d.seen());
                    log("deferred-proposal", d.from(), d.seen().proposal().leaf().view(), v);
                }
            }
        }
        tryDecide();
        maybeRequestBlock();
        tryVote();
    }

    private void fetch(Bytes32 commitment, int peer) {
        Effect.FetchLeaves request = fetcher.want(commitment, peer);
        if (request != null) {
            out.add(request);
        }
    }

    private Verdict onLeaves(int from, List<Leaf> leaves) {
        if (leaves.size() > config.maxPendingLeaves()) {
            return new Verdict.Reject(leaves.size() + " leaves in one response exceed " + config.maxPendingLeaves());
        }
        for (Leaf leaf : leaves) {
            if (leaf.chainId() != config.chainId()) {
                return new Verdict.Reject("leaf for chain " + leaf.chainId());
            }
        }
        LeafFetcher.Outcome outcome = fetcher.accept(from, leaves, store);
        for (Bytes32 c : outcome.stored()) {
            onLeafStored(c);
        }
        out.addAll(outcome.requests());
        int taken = outcome.taken();
        return taken == 0 ? new Verdict.Ignore("no requested leaf in the response")
                : new Verdict.Accept(taken + " requested leaves received");
    }

    // ---------------------------------------------------------------- voting

    private Verdict onDataAvailable(View view, Bytes32 blockCommitment) {
        if (view.isBefore(currentView)) {
            return new Verdict.Ignore("data for past " + view);
        }
        if (view.value() > currentView.value() + config.maxFutureViews()) {
            return new Verdict.Ignore("data for " + view + " is too far ahead");
        }
        List<Bytes32> blocks = available.computeIfAbsent(view, v -> new ArrayList<>());
        if (blocks.size() >= 4 || blocks.contains(blockCommitment)) {
            return new Verdict.Ignore("data for " + view + " already noted");
        }
        blocks.add(blockCommitment);
        tryVote();
        return new Verdict.Accept("data available for " + view);
    }

    /** Votes for the current view's proposal once its leaf is stored, its data is available and the rules allow. */
    private void tryVote() {
        SeenProposal seen = proposals.get(currentView);
        boolean mayVote = currentView.isAfter(safety.highestVotedView()) || currentView.equals(ownProposalView);
        if (seen == null || !mayVote || declinedView.equals(currentView) || !store.contains(seen.commitment())) {
            return;
        }
        Leaf leaf = seen.proposal().leaf();
        List<Bytes32> blocks = available.get(currentView);
        if (rules.dataAvailabilityGate() && (blocks == null || !blocks.contains(leaf.blockCommitment()))) {
            return;
        }
        QuorumCertificate justify = seen.proposal().justifyQc();
        QuorumCertificate lock = safety.lockedQc();
        if (rules.lockCheck() && !VotingRules.mayVote(justify, seen.proposal().viewChange(), lock, store)) {
            declinedView = currentView;
            record("no vote in " + currentView, "justify QC of " + justify.view() + " neither extends nor outdates the lock of "
                    + lock.view() + ", nor reaches the TC's high QC");
            return;
        }
        // Always persisted right before the vote (a no-op write when the leader persisted it on proposing).
        updateSafety(new SafetyState(currentView, lock.max(justify)), "voting for the leaf of " + currentView);
        ownProposalView = View.ZERO;
        QuorumVote vote = new QuorumVote(currentView, seen.commitment(), me,
                signer.sign(certificates.quorumDigest(currentView, seen.commitment())));
        int nextLeader = schedule.leader(currentView.next());
        if (nextLeader == me) {
            replay.add(new Input.VoteReceived(me, vote));
        } else {
            out.add(new Effect.SendVote(nextLeader, vote));
        }
    }

    private Verdict onVote(int from, QuorumVote vote) {
        Optional<String> origin = validator.voteOrigin(from, vote);
        if (origin.isPresent()) {
            return new Verdict.Reject(origin.get());
        }
        if (schedule.leader(vote.view().next()) != me) {
            return new Verdict.Ignore("not the leader of the view after " + vote.view());
        }
        if (vote.view().isBefore(currentView)) {
            return new Verdict.Ignore("vote for past " + vote.view() + " (now " + currentView + ")");
        }
        if (vote.view().isAfter(currentView)) {
            return buffer(from, vote.view(), new Input.VoteReceived(from, vote));
        }
        QuorumVote first = votes.firstVote(vote.view(), vote.voter());
        if (first != null && first.equals(vote)) {
            misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
            return new Verdict.Ignore("duplicate vote of " + vote.voter());
        }
        if (!misbehaviour.mayVerify(from, currentView)) {
            return new Verdict.Ignore("sender " + from + " sent invalid messages; its ration for " + currentView
                    + " is spent");
        }
        Optional<String> signature = validator.voteSignature(vote);
        if (signature.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, currentView);
            return new Verdict.Reject(signature.get());
        }
        return switch (votes.addQuorumVote(vote)) {
            case Outcome.Counted c -> new Verdict.Accept("vote counted, " + c.stakeGwei() + " gwei so far");
            case Outcome.Duplicate d -> new Verdict.Ignore("duplicate vote of " + vote.voter());
            case Outcome.AlreadyCertified a -> new Verdict.Ignore(vote.view() + " is certified already");
            case Outcome.Equivocation e -> {
                Evidence ev = new Evidence.VoteEquivocation(vote.view(), vote.voter(), e.first(), vote);
                keepEvidence(ev);
                misbehaviour.strike(from, Misbehaviour.Kind.EQUIVOCATION, currentView);
                yield new Verdict.Reject(vote.voter() + " voted for two leaves in " + vote.view());
            }
            case Outcome.Quorum q -> {
                Bytes32 digest = certificates.quorumDigest(vote.view(), vote.leafCommitment());
                QuorumCertificate qc = new QuorumCertificate(vote.view(), vote.leafCommitment(),
                        crypto.aggregate(digest, q.signatures()));
                observeQc(qc, "formed the QC of " + vote.view());
                yield new Verdict.Accept("formed the QC of " + vote.view());
            }
        };
    }

    private Verdict buffer(int from, View view, Input input) {
        if (view.value() > currentView.value() + config.maxFutureViews()) {
            return new Verdict.Ignore(view + " is more than " + config.maxFutureViews() + " views ahead");
        }
        Optional<String> dropped = future.add(from, view, input);
        return dropped.<Verdict>map(Verdict.Ignore::new)
                .orElseGet(() -> new Verdict.Defer("buffered until " + view));
    }

    // ---------------------------------------------------------------- timeouts

    private Verdict onTimer(View view) {
        if (!view.equals(currentView)) {
            return new Verdict.Ignore("timer of " + view + " is stale (now " + currentView + ")");
        }
        timerRetries++;
        out.add(new Effect.ScheduleTimeout(currentView, nowMs + timeoutMs()));
        out.addAll(fetcher.retryAll());
        Optional<TimeoutCertificate> entryTc = highTc.filter(tc -> tc.view().value() + 1 == currentView.value());
        if (ownTimeoutVote != null) {
            // The signature covers the high-QC view it was made with: re-send that QC, not a newer one.
            ownTimeoutVote = new TimeoutVote(currentView, ownTimeoutVote.highQc(), entryTc, me,
                    ownTimeoutVote.signature());
            out.add(new Effect.BroadcastTimeoutVote(ownTimeoutVote));
            return new Verdict.Accept("re-sent the timeout vote for " + currentView);
        }
        if (currentView.isAfter(safety.highestVotedView())) {
            updateSafety(new SafetyState(currentView, safety.lockedQc()), "timed out in " + currentView);
        }
        ownTimeoutVote = new TimeoutVote(currentView, highQc, entryTc, me,
                signer.sign(certificates.timeoutDigest(currentView, highQc.view())));
        out.add(new Effect.BroadcastTimeoutVote(ownTimeoutVote));
        countTimeoutVote(currentView, me, highQc.view(), ownTimeoutVote.signature());
        return new Verdict.Accept("timed out in " + view);
    }

    /**
     * Cheap checks first (fault 3): origin, view window, usefulness and duplicates cost no crypto; only then
     * may the sender's ration pay for the carried certificates and the signature.
     */
    private Verdict onTimeoutVote(int from, TimeoutVote vote) {
        Optional<String> bad = validator.timeoutVoteOrigin(from, vote);
        if (bad.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.WRONG_ORIGIN, currentView);
            return new Verdict.Reject(bad.get());
        }
        View view = vote.view();
        if (view.value() > currentView.value() + config.maxFutureViews()) {
            misbehaviour.note(Misbehaviour.Kind.OUT_OF_WINDOW);
            return new Verdict.Ignore(view + " is more than " + config.maxFutureViews() + " views ahead");
        }
        boolean past = view.isBefore(currentView);
        boolean newQc = vote.highQc().view().isAfter(highQc.view());
        boolean newTc = vote.lastTc().filter(tc -> !tc.view().isBefore(currentView)).isPresent();
        if (past && !newQc && !newTc) {
            return new Verdict.Ignore("timeout vote for past " + view + " (now " + currentView + ")");
        }
        if (!past && !newQc && !newTc) {
            if (view.isAfter(currentView)) {
                return buffer(from, view, new Input.TimeoutVoteReceived(from, vote));
            }
            if (votes.hasTimeoutVote(view, vote.voter())) {
                misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
                return new Verdict.Ignore("duplicate timeout vote of " + vote.voter());
            }
        }
        if (!misbehaviour.mayVerify(from, currentView)) {
            return new Verdict.Ignore("sender " + from + " sent invalid messages; its ration for " + currentView
                    + " is spent");
        }
        Optional<String> certs = validator.timeoutVoteCertificates(vote, newTc);
        if (certs.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, currentView);
            return new Verdict.Reject(certs.get());
        }
        observeQc(vote.highQc(), "high QC in a timeout vote of " + vote.voter());
        if (newTc) {
            observeTc(vote.lastTc().get(), "TC in a timeout vote of " + vote.voter());
        }
        if (view.isBefore(currentView)) {
            return new Verdict.Ignore("timeout vote for past " + view + " (now " + currentView + "); used its certificates");
        }
        if (view.isAfter(currentView)) {
            return buffer(from, view, new Input.TimeoutVoteReceived(from, vote));
        }
        if (votes.hasTimeoutVote(view, vote.voter())) {
            misbehaviour.note(Misbehaviour.Kind.DUPLICATE);
            return new Verdict.Ignore("duplicate timeout vote of " + vote.voter());
        }
        Optional<String> signature = validator.timeoutVoteSignature(vote);
        if (signature.isPresent()) {
            misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, currentView);
            return new Verdict.Reject(signature.get());
        }
        return countTimeoutVote(view, vote.voter(), vote.highQc().view(), vote.signature());
    }

    private Verdict countTimeoutVote(View view, int voter, View highQcView, Signature signature) {
        return switch (votes.addTimeoutVote(view, voter, highQcView, signature)) {
            case Outcome.Counted c -> new Verdict.Accept("timeout vote counted, " + c.stakeGwei() + " gwei so far");
            case Outcome.Duplicate d -> new Verdict.Ignore("duplicate timeout vote of " + voter);
            case Outcome.AlreadyCertified a -> new Verdict.Ignore(view + " has a TC already");
            case Outcome.Equivocation e -> throw new IllegalStateException("timeout votes sign only the view");
            case Outcome.Quorum q -> {
                TimeoutCertificate tc = assembleTc(view, q.signatures());
                observeTc(tc, "formed the TC of " + view);
                yield new Verdict.Accept("formed the TC of " + view);
            }
        };
    }

    /**
     * One part per signed high-QC view. The TC carries this replica's high QC, which is at least every
     * signer's: each counted vote's QC was verified and observed before it was counted.
     */
    private TimeoutCertificate assembleTc(View view, java.util.SortedMap<Integer, Signature> signatures) {
        Map<Integer, View> signedViews = votes.timeoutHighQcViews(view);
        TreeMap<View, TreeMap<Integer, Signature>> byHighQcView = new TreeMap<>();
        signatures.forEach((voter, sig) -> byHighQcView.computeIfAbsent(signedViews.get(voter), hv -> new TreeMap<>())
                .put(voter, sig));
        List<TimeoutCertificate.Part> parts = new ArrayList<>();
        byHighQcView.forEach((hv, sigs) -> parts.add(new TimeoutCertificate.Part(hv,
                crypto.aggregate(certificates.timeoutDigest(view, hv), sigs))));
        return new TimeoutCertificate(view, highQc, parts);
    }

    // ---------------------------------------------------------------- proposing

    /** As leader, ask for a block as soon as this view is justified by QC(v-1) or TC(v-1). */
    private void maybeRequestBlock() {
        if (schedule.leader(currentView) != me || buildRequest != null || proposals.containsKey(currentView)
                || !currentView.isAfter(safety.highestVotedView())) {
            return;
        }
        Optional<TimeoutCertificate> tc = highTc.filter(t -> t.view().value() + 1 == currentView.value());
        boolean afterQc = highQc.view().value() + 1 == currentView.value();
        if (!afterQc && tc.isEmpty()) {
            return;
        }
        Leaf parent = store.get(highQc.leafCommitment());
        if (parent == null) {
            int peer = highQc.signature().signers().nextSetBit(0);
            fetch(highQc.leafCommitment(), peer < 0 ? me : peer);
            return;
        }
        buildRequest = new BuildRequest(currentView, parent, highQc, afterQc ? Optional.empty() : tc);
        out.add(new Effect.BuildBlock(currentView, parent));
    }

    private Verdict onBlockBuilt(View view, Bytes32 blockCommitment) {
        BuildRequest request = buildRequest;
        if (request == null || !request.view().equals(view) || !view.equals(currentView)) {
            return new Verdict.Ignore("no block was requested for " + view);
        }
        if (proposals.containsKey(view)) {
            return new Verdict.Ignore("already proposed in " + view);
        }
        if (!view.isAfter(safety.highestVotedView())) {
            return new Verdict.Ignore("already voted or timed out in " + view);
        }
        Leaf parent = request.parent();
        Bytes32 parentCommitment = parent.commitment();
        if (!store.contains(parentCommitment)) {
            return new Verdict.Ignore("parent of the block for " + view + " was pruned by a decision");
        }
        Leaf leaf = new Leaf(config.chainId(), view, parent.height().next(), parentCommitment, blockCommitment,
                request.justifyQc().view());
        Bytes32 commitment = leaf.commitment();
        Proposal proposal = new Proposal(leaf, request.justifyQc(), request.viewChange(), me,
                signer.sign(certificates.quorumDigest(view, commitment)));
        proposals.put(view, new SeenProposal(proposal, commitment));
        record("proposed in " + view, "block " + blockCommitment + " on parent of " + parent.view());
        // The proposal signature is a vote: persist it first, so a restart cannot propose a second leaf here.
        updateSafety(new SafetyState(view, safety.lockedQc().max(request.justifyQc())), "proposing in " + view);
        ownProposalView = view;
        out.add(new Effect.BroadcastProposal(proposal));
        store.add(commitment, leaf);
        onLeafStored(commitment);
        return new Verdict.Accept("proposed in " + view);
    }

    // ---------------------------------------------------------------- deciding

    private void tryDecide() {
        for (QuorumCertificate qc : decideCandidates.descendingMap().values()) {
            Leaf child = store.get(qc.leafCommitment());
            if (child == null) {
                fetch(qc.leafCommitment(), qc.signature().signers().nextSetBit(0) < 0 ? me
                        : qc.signature().signers().nextSetBit(0));
                continue;
            }
            Leaf parent = store.get(child.parentCommitment());
            if (parent != null && parent.view().isAfter(store.anchor().view())
                    && VotingRules.formsTwoChain(parent, child, rules.consecutiveViewsToDecide())) {
                decide(child.parentCommitment(), parent, child, qc);
                return;
            }
        }
    }

    private void decide(Bytes32 commitment, Leaf leaf, Leaf child, QuorumCertificate commitQc) {
        List<Leaf> chain = store.chainFromAnchor(commitment);
        if (chain.isEmpty()) {
            throw new IllegalStateException("leaf of " + leaf.view() + " does not extend the last decision of "
                    + store.anchor().view());
        }
        record("decided through height " + leaf.height().value(), "QC of " + commitQc.view() + " certifies its child");
        out.add(new Effect.Decide(List.copyOf(chain), child, commitQc));
        store.advanceAnchor(commitment, leaf);
        decideCandidates.headMap(leaf.view(), true).clear();
        waitingOnParent.values().forEach(list -> {
            int before = list.size();
            list.removeIf(d -> !d.seen().proposal().leaf().view().isAfter(leaf.view()));
            deferredCount -= before - list.size();
        });
        waitingOnParent.values().removeIf(List::isEmpty);
    }

    // ---------------------------------------------------------------- queries (for the driver and tests)

    public View currentView() {
        return currentView;
    }

    public SafetyState safetyState() {
        return safety;
    }

    public QuorumCertificate highQc() {
        return highQc;
    }

    public Leaf lastDecided() {
        return store.anchor();
    }

    public int leaderOf(View view) {
        return schedule.leader(view);
    }

    /** A leaf this replica holds and has not decided yet, or the last decided one; null otherwise. */
    public Leaf knownLeaf(Bytes32 commitment) {
        return store.get(commitment);
    }

    /** Equivocation evidence seen so far (the newest 1024 pieces). */
    public List<Evidence> evidence() {
        return journal.evidence();
    }

    /** The last 128 state changes, each with the reason it happened. */
    public List<Transition> recentTransitions() {
        return journal.transitions();
    }

    /** Work this replica waits on: leaves being fetched (with the peer asked), deferred proposals, stored leaves. */
    public String pendingSummary() {
        return "fetching " + fetcher + ", deferred proposals " + deferredCount + " waiting on "
                + waitingOnParent.keySet() + ", stored leaves " + store.size() + ", proposal for current view "
                + (proposals.containsKey(currentView) ? proposals.get(currentView).commitment() : "none");
    }

    /** What peers did wrong, counted by kind (for the runtime's metrics). */
    public java.util.Map<Misbehaviour.Kind, Long> misbehaviour() {
        return misbehaviour.snapshot();
    }

    public int bufferedFutureMessages() {
        return future.size();
    }
}
