package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One replica's HotShot consensus as a pure state machine: {@link #handle(Input, long)} returns the effects
 * the driver must carry out, in order. No clock, threads, randomness or I/O; the driver feeds inputs from one
 * thread. Contract: a {@link Effect.PersistSafety} precedes the vote it protects, and the driver persists it
 * durably before sending that vote. Construct a restarted replica with the persisted {@link SafetyState} and
 * the last decided leaf: it never votes twice in a view.
 *
 * <p>This class only dispatches inputs and answers queries. The rules live in package-private pieces that
 * share one {@link CoreState}: {@link Pacemaker} (views, timers, timeout votes, TCs), {@link LeafIntake}
 * (proposals and fetched leaves), {@link Voting} (own vote and QC formation), {@link Proposer} (block
 * requests and own proposals), {@link Decider} (the two-chain rule) and {@link EpochSwitch} (entering the next
 * stake-table epoch, handover proofs).
 */
public final class ConsensusCore {
    private final CoreState s;
    private final DeferredProposals deferred;
    private final Pacemaker pacemaker;
    private final Proposer proposer;
    private final Voting voting;
    private final LeafIntake intake;
    private final EpochSwitch epochSwitch;

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
        this.s = new CoreState(config, signer, crypto, safety, lastDecided, rules);
        this.deferred = new DeferredProposals(config.maxPendingLeaves());
        Decider decider = new Decider(s, deferred);
        Voting.DataNotes data = new Voting.DataNotes();
        this.proposer = new Proposer(s);
        this.pacemaker = new Pacemaker(s, decider, proposer, data);
        this.voting = new Voting(s, pacemaker, data);
        this.intake = new LeafIntake(s, pacemaker, decider, proposer, voting, deferred);
        this.epochSwitch = new EpochSwitch(s, pacemaker, proposer, voting, intake);
        decider.epochSwitch(epochSwitch);
    }

    /** Applies one input; returns the effects to carry out in order. */
    public List<Effect> handle(Input input, long nowMs) {
        s.nowMs = nowMs;
        s.out = new ArrayList<>();
        dispatch(input);
        while (!s.replay.isEmpty()) {
            dispatch(s.replay.poll());
        }
        return Collections.unmodifiableList(s.out);
    }

    private void dispatch(Input input) {
        boolean started = s.started;
        switch (input) {
            case Input.Start st -> pacemaker.start();
            case Input.ProposalReceived p -> s.log("proposal", p.from(), p.proposal().leaf().view(),
                    started ? intake.onProposal(p.from(), p.proposal()) : notStarted());
            case Input.VoteReceived v -> s.log("vote", v.from(), v.vote().view(),
                    started ? voting.onVote(v.from(), v.vote()) : notStarted());
            case Input.TimeoutVoteReceived t -> s.log("timeout-vote", t.from(), t.vote().view(),
                    started ? pacemaker.onTimeoutVote(t.from(), t.vote()) : notStarted());
            case Input.Timeout t -> s.log("timer", s.me, t.view(), started ? pacemaker.onTimer(t.view()) : notStarted());
            case Input.BlockBuilt b -> s.log("block-built", s.me, b.view(), onBlockBuilt(b.view(), b.blockCommitment()));
            case Input.DataAvailable d -> s.log("data-available", s.me, d.view(),
                    voting.onDataAvailable(d.view(), d.blockCommitment()));
            case Input.HandoverProofReceived h -> s.log("handover-proof", h.from(), s.currentView,
                    started ? epochSwitch.onProof(h.from(), h.proof()) : notStarted());
            case Input.HandoverProofRequested r -> s.log("handover-proof-request", r.from(), s.currentView,
                    started ? epochSwitch.onRequest(r.from(), r.epoch()) : notStarted());
            case Input.LeavesReceived l -> s.log("leaves", l.from(), s.currentView, intake.onLeaves(l.from(), l.leaves()));
        }
    }

    private Verdict onBlockBuilt(View view, Bytes32 blockCommitment) {
        Proposer.Built built = proposer.onBlockBuilt(view, blockCommitment);
        if (built.leaf() != null) {
            intake.storeOwn(built.commitment(), built.leaf());
        }
        return built.verdict();
    }

    private static Verdict notStarted() {
        return new Verdict.Ignore("core not started");
    }

    // ---------------------------------------------------------------- queries (for the driver and tests)

    public View currentView() {
        return s.currentView;
    }

    public SafetyState safetyState() {
        return s.safety;
    }

    public QuorumCertificate highQc() {
        return s.highQc;
    }

    public Leaf lastDecided() {
        return s.store.anchor();
    }

    /** The leader of {@code view} in the current epoch's table. */
    public int leaderOf(View view) {
        return s.schedule.leader(view);
    }

    /** The epoch of the next height to decide: whose table this replica votes, leads and counts with. */
    public long epoch() {
        return s.epoch;
    }

    /** A leaf this replica holds and has not decided yet, or the last decided one; null otherwise. */
    public Leaf knownLeaf(Bytes32 commitment) {
        return s.store.get(commitment);
    }

    /** Equivocation evidence seen so far (the newest 1024 pieces). */
    public List<Evidence> evidence() {
        return s.journal.evidence();
    }

    /** The last 128 state changes, each with the reason it happened. */
    public List<Transition> recentTransitions() {
        return s.journal.transitions();
    }

    /** Work this replica waits on: leaves being fetched (with the peer asked), deferred proposals, stored leaves. */
    public String pendingSummary() {
        CoreState.SeenProposal current = s.proposals.get(s.currentView);
        return "fetching " + s.fetcher + ", deferred proposals " + deferred.size() + " waiting on "
                + deferred.parents() + ", stored leaves " + s.store.size() + ", proposal for current view "
                + (current != null ? current.commitment() : "none");
    }

    /** What peers did wrong, counted by kind (for the runtime's metrics). */
    public Map<Misbehaviour.Kind, Long> misbehaviour() {
        return s.misbehaviour.snapshot();
    }

    public int bufferedFutureMessages() {
        return s.future.size();
    }
}
