package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the pieces of one {@link ConsensusCore} share: the static collaborators (stake table, schedule,
 * validators, stores) and the few mutable facts every rule reads (current view, high QC and TC, safety
 * state, the proposals seen per view), plus the effect list of the input being handled. Every piece changes
 * the view only through {@link Pacemaker#enterView} and the safety state only through
 * {@link #updateSafety}, so each change is journalled with its reason.
 *
 * <p>The stake-dependent collaborators (stakes, schedule, certificates, validator, votes, future buffer,
 * misbehaviour, fetcher) sit together here, so a per-epoch table replaces them in one place.
 */
final class CoreState {
    /** A proposal seen for a view, with its leaf commitment computed once. */
    record SeenProposal(Proposal proposal, Bytes32 commitment) {
    }

    static final int PROPOSAL_HISTORY_VIEWS = 64;

    final ConsensusConfig config;
    final Rules rules;
    final ConsensusSigner signer;
    final ConsensusCrypto crypto;
    final StakeWeights stakes;
    final LeaderSchedule schedule;
    final CertificateValidator certificates;
    final MessageValidator validator;
    final LeafFetcher fetcher;
    final LeafStore store;
    final VoteCollector votes;
    final FutureBuffer future;
    final Misbehaviour misbehaviour;
    final int me;
    final Journal journal = new Journal();

    /** Proposals by view, the last {@link #PROPOSAL_HISTORY_VIEWS} views kept (equivocation detection). */
    final TreeMap<View, SeenProposal> proposals = new TreeMap<>();
    /** Inputs produced while handling one input (own votes to self, released future messages). */
    final ArrayDeque<Input> replay = new ArrayDeque<>();

    SafetyState safety;
    QuorumCertificate highQc;
    Optional<TimeoutCertificate> highTc = Optional.empty();
    View currentView = View.ZERO;
    boolean started;
    /** The view this replica proposed in and has not yet voted for (its proposal signature is its vote). */
    View ownProposalView = View.ZERO;
    long nowMs;
    List<Effect> out = new ArrayList<>();

    CoreState(ConsensusConfig config, ConsensusSigner signer, ConsensusCrypto crypto, SafetyState safety,
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

    void emit(Effect effect) {
        out.add(effect);
    }

    void log(String input, int from, View view, Verdict verdict) {
        out.add(new Effect.LogVerdict(input, from, view, verdict));
    }

    void record(String change, String reason) {
        journal.record(nowMs, currentView, change, reason);
    }

    void updateSafety(SafetyState next, String reason) {
        record("safety " + safety.highestVotedView().value() + "/" + safety.lockedQc().view().value() + " -> "
                + next.highestVotedView().value() + "/" + next.lockedQc().view().value(), reason);
        safety = next;
        out.add(new Effect.PersistSafety(next));
    }

    void keepEvidence(Evidence e) {
        journal.keep(e);
        out.add(new Effect.ReportEquivocation(e));
    }

    void fetch(Bytes32 commitment, int peer) {
        Effect.FetchLeaves request = fetcher.want(commitment, peer);
        if (request != null) {
            out.add(request);
        }
    }

    /** Asks a signer of {@code qc} (or, for the unsigned genesis QC, this replica) for its leaf. */
    void fetchCertified(QuorumCertificate qc) {
        int peer = qc.signature().signers().nextSetBit(0);
        fetch(qc.leafCommitment(), peer < 0 ? me : peer);
    }

    /** The sender's crypto ration for this view is spent after invalid messages. */
    Optional<Verdict> rationSpent(int from) {
        if (misbehaviour.mayVerify(from, currentView)) {
            return Optional.empty();
        }
        return Optional.of(new Verdict.Ignore("sender " + from + " sent invalid messages; its ration for "
                + currentView + " is spent"));
    }

    /** Keeps a message for a view ahead of this replica until it gets there, within the window and bounds. */
    Verdict buffer(int from, View view, Input input) {
        if (view.value() > currentView.value() + config.maxFutureViews()) {
            return new Verdict.Ignore(view + " is more than " + config.maxFutureViews() + " views ahead");
        }
        Optional<String> dropped = future.add(from, view, input);
        return dropped.<Verdict>map(Verdict.Ignore::new)
                .orElseGet(() -> new Verdict.Defer("buffered until " + view));
    }

    /** The TC of the view just before the current one, if this replica holds it. */
    Optional<TimeoutCertificate> entryTc() {
        return highTc.filter(tc -> tc.view().value() + 1 == currentView.value());
    }
}
