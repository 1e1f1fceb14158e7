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
 * <p>The stake-dependent collaborators sit together here. Those of the current epoch (stakes, schedule,
 * validator, votes) are replaced together by {@link #installEpoch}; the certificate validator measures every
 * certificate by its own epoch's table; the future buffer, misbehaviour and fetcher are over the fixed universe of
 * indices. The current epoch is the epoch of the next height to decide.
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
    final EpochTables tables;
    final CertificateValidator certificates;
    final LeafFetcher fetcher;
    final LeafStore store;
    /** The current epoch and its table, schedule, validator and vote counts. */
    long epoch;
    StakeWeights stakes;
    LeaderSchedule schedule;
    MessageValidator validator;
    VoteCollector votes;
    /**
     * The previous epoch's QC on its handover leaf (the anchor) while this epoch has no QC of its own to build on;
     * null when unknown or not needed.
     */
    QuorumCertificate handoverQc;
    /** The previous epoch's handover leaf this epoch started from; null in epoch 0 or when unknown (a restart). */
    Bytes32 previousHandover;
    final FutureBuffer future;
    final Misbehaviour misbehaviour;
    final HandoverProofs proofs;
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
    /** When this replica last asked a peer for a handover proof. */
    long lastProofRequestMs = Long.MIN_VALUE / 2;
    /** The peer asked last by {@link #askForProof}. */
    int proofPeer;
    /**
     * The peer whose handover proof of {@link #provenEpoch} this replica took last (-1: none). It was past that
     * handover, so once the proof decides it, at once or after its missing leaves arrive, that peer is asked for
     * the next one.
     */
    int provenBy = -1;
    long provenEpoch = -1;
    List<Effect> out = new ArrayList<>();

    CoreState(ConsensusConfig config, ConsensusSigner signer, ConsensusCrypto crypto, SafetyState safety,
            Leaf lastDecided, Rules rules) {
        this.rules = rules;
        this.config = config;
        this.signer = signer;
        this.crypto = crypto;
        int universe = config.stakes().size();
        this.me = signer.index();
        if (!config.stakes().contains(me)) {
            throw new IllegalArgumentException("signer index " + me + " is outside the stake table of " + universe);
        }
        if (lastDecided.chainId() != config.chainId()) {
            throw new IllegalArgumentException("last decided leaf is for chain " + lastDecided.chainId());
        }
        this.tables = new EpochTables(config);
        this.certificates = new CertificateValidator(config.chainId(), tables::stakes, crypto, rules);
        this.fetcher = new LeafFetcher(me, universe, config.maxPendingLeaves());
        this.store = new LeafStore(lastDecided, config.maxPendingLeaves());
        this.future = new FutureBuffer(universe, config.futureBufferPerSender(), config.futureBufferTotal());
        this.misbehaviour = new Misbehaviour(universe);
        this.proofs = new HandoverProofs(universe, config.baseTimeoutMs());
        this.safety = safety;
        this.highQc = safety.lockedQc();
        installEpoch(config.epochs().epochOf(lastDecided.height().next()));
    }

    /** Votes, leads and counts with {@code next}'s table from now on. */
    void installEpoch(long next) {
        EpochTables.Table table = tables.of(next).orElseThrow(() -> new IllegalStateException(
                "the stake table of epoch " + next + " is not known, but its first height is the next to decide"));
        epoch = next;
        previousHandover = next > 0 && store.anchor().height().value() == config.epochs().lastHeight(next - 1)
                ? store.anchorCommitment() : null;
        stakes = table.stakes();
        schedule = table.schedule();
        validator = new MessageValidator(config.chainId(), next, stakes, schedule, certificates, crypto);
        votes = new VoteCollector(stakes, rules);
    }

    /** True when this replica holds stake in the current epoch: only members vote, time out and lead. */
    boolean isMember() {
        return stakes.isMember(me);
    }

    /**
     * Why a (valid) QC is of no use in the current epoch: it must be of this epoch, or the previous epoch's QC on
     * its decided handover leaf (the only leaf the new table starts from). A message of this epoch carrying another
     * one is ignored, not blamed: an honest sender may hold a handover QC this replica (restarted past it) cannot
     * recognise any more.
     */
    Optional<String> foreignQc(QuorumCertificate qc) {
        if (qc.epoch() == epoch) {
            return Optional.empty();
        }
        if (qc.epoch() + 1 == epoch && qc.leafCommitment().equals(previousHandover)) {
            return Optional.empty();
        }
        return Optional.of("QC of " + qc.view() + " is of epoch " + qc.epoch() + ", not of epoch " + epoch
                + " nor its decided handover");
    }

    /**
     * A message of an epoch this replica has left is of no use; its sender is behind, so it gets that epoch's
     * handover proof (at most once per base timeout).
     */
    Verdict pastEpoch(int from, long messageEpoch, String what) {
        proofs.answer(from, messageEpoch, nowMs)
                .ifPresent(proof -> out.add(new Effect.SendHandoverProof(from, proof)));
        return new Verdict.Ignore(what + " of past epoch " + messageEpoch + " (now " + epoch + ")");
    }

    /**
     * A message of an epoch after this replica's: it cannot be checked before this replica decides the handover.
     * The sender is ahead, so it is asked for the proof (at most once per base timeout, whoever sends).
     */
    Verdict futureEpoch(int from, long messageEpoch, String what) {
        if (from != me && nowMs - lastProofRequestMs >= config.baseTimeoutMs()) {
            lastProofRequestMs = nowMs;
            out.add(new Effect.FetchHandoverProof(from, epoch));
        }
        return new Verdict.Ignore(what + " of epoch " + messageEpoch + ", ahead of this replica's " + epoch
                + "; waiting for the handover");
    }

    /**
     * The view timed out: this replica may have missed a handover that nobody will tell it about (when the old
     * epoch's members all moved on and observe the new one, nobody speaks its epoch any more). Ask the next peer in
     * turn for its epoch's handover proof, at most once per base timeout.
     */
    void askForProof() {
        int universe = config.stakes().size();
        if (universe < 2 || config.epochs().schedule().isEmpty() || nowMs - lastProofRequestMs < config.baseTimeoutMs()) {
            return;
        }
        proofPeer = (proofPeer + 1) % universe;
        if (proofPeer == me) {
            proofPeer = (proofPeer + 1) % universe;
        }
        lastProofRequestMs = nowMs;
        // Without the handover QC (a restart into this epoch) the previous handover's proof is what this replica
        // lacks: its commit QC is how the others entered the view they are in.
        out.add(new Effect.FetchHandoverProof(proofPeer, handoverQc == null && previousHandover != null ? epoch - 1
                : epoch));
    }

    /** True when {@code qc} is the previous epoch's QC on the decided handover leaf. */
    boolean isHandoverQc(QuorumCertificate qc) {
        return qc.epoch() + 1 == epoch && foreignQc(qc).isEmpty();
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
