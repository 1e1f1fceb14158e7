package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entering the next epoch once its predecessor's handover leaf is decided, and the proof that lets a replica
 * still voting in the old epoch follow. The new table starts from the decided handover leaf only: its first leaf
 * extends it, justified by the old table's QC on it, so no leaf the old table certifies afterwards (the empty
 * suffix leaves, on any branch) is ever decided.
 */
final class EpochSwitch {
    private final CoreState s;
    private final Pacemaker pacemaker;
    private final Proposer proposer;
    private final Voting voting;
    private final LeafIntake intake;

    EpochSwitch(CoreState state, Pacemaker pacemaker, Proposer proposer, Voting voting, LeafIntake intake) {
        this.s = state;
        this.pacemaker = pacemaker;
        this.proposer = proposer;
        this.voting = voting;
        this.intake = intake;
    }

    /**
     * The handover leaf {@code fromHandover.get(0)} is decided (and is the anchor); the rest of the list up to the
     * commit QC's leaf is what proves it.
     */
    void enterNext(List<Leaf> fromHandover, QuorumCertificate commitQc) {
        long old = s.epoch;
        Leaf handover = fromHandover.getFirst();
        Optional<QuorumCertificate> handoverQc = s.proofs.takeQcOn(handover.commitment());
        s.installEpoch(old + 1);
        s.handoverQc = handoverQc.orElse(null);
        pacemaker.onEpochEntered();
        proposer.forgetRequest();
        // A proposal of the old epoch in this view no longer counts as this replica's vote.
        s.ownProposalView = dev.cortado.protocol.types.View.ZERO;
        s.record("epoch " + old + " -> " + s.epoch, "decided the handover leaf at height " + handover.height().value()
                + (handoverQc.isEmpty() ? " (its QC not known yet)" : ""));
        if (handoverQc.isPresent()) {
            QuorumCertificate qc = handoverQc.get();
            s.highQc = qc;
            // Locks are ordered by (epoch, view): the old epoch's lock gives way to the handover it decided.
            s.updateSafety(new SafetyState(s.safety.highestVotedView(), qc), "entered epoch " + s.epoch);
        }
        HandoverProof proof = new HandoverProof(old, handoverQc, commitQc, fromHandover);
        s.proofs.keep(proof);
        s.emit(new Effect.BroadcastHandoverProof(proof));
        if (s.provenEpoch == old && s.provenBy >= 0) {
            // Still behind, perhaps: the peer that proved this handover was past it, so ask it for the next one now,
            // whether the proof decided at once or only once its missing leaves came (a replica many epochs behind
            // needs a leaf fetch for nearly every epoch; waiting for a timer there made it fall further behind).
            s.lastProofRequestMs = s.nowMs;
            s.emit(new Effect.FetchHandoverProof(s.provenBy, s.epoch));
        }
        s.provenBy = -1;
        proposer.maybeRequestBlock();
        voting.tryVote();
    }

    /** A peer missed the handover of {@code epoch}: send it the proof if this replica keeps one (rate-limited). */
    Verdict onRequest(int from, long epoch) {
        if (epoch >= s.epoch) {
            return new Verdict.Ignore("asked for the handover proof of epoch " + epoch + ", not behind " + s.epoch);
        }
        Optional<HandoverProof> proof = s.proofs.answer(from, epoch, s.nowMs);
        proof.ifPresent(p -> s.emit(new Effect.SendHandoverProof(from, p)));
        return proof.isPresent() ? new Verdict.Accept("sent the handover proof of epoch " + epoch)
                : new Verdict.Ignore("no handover proof of epoch " + epoch + " to send now");
    }

    /** Cheap checks first (epoch, then structure), then the two QCs against the proof's own epoch's table. */
    Verdict onProof(int from, HandoverProof proof) {
        if (proof.epoch() > s.epoch) {
            return s.futureEpoch(from, proof.epoch(), "handover proof");
        }
        if (proof.epoch() < s.epoch) {
            return learnHandoverQc(from, proof);
        }
        Optional<String> bad = structure(proof);
        if (bad.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, s.currentView);
            return new Verdict.Reject(bad.get());
        }
        Optional<Verdict> spent = s.rationSpent(from);
        if (spent.isPresent()) {
            return spent.get();
        }
        Optional<String> certs = proof.handoverQc().flatMap(s.certificates::checkQc)
                .or(() -> s.certificates.checkQc(proof.commitQc()))
                .map(reason -> "handover proof of epoch " + proof.epoch() + ": " + reason);
        if (certs.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, s.currentView);
            return new Verdict.Reject(certs.get());
        }
        if (from != s.me) {
            // Set before anything is stored: a stored leaf may complete the chain and decide the handover.
            s.provenBy = from;
            s.provenEpoch = proof.epoch();
        }
        List<Bytes32> stored = new ArrayList<>();
        for (Leaf leaf : proof.leaves()) {
            Bytes32 c = leaf.commitment();
            if (s.store.contains(c)) {
                continue;
            }
            if (s.store.add(c, leaf)) {
                stored.add(c);
            } else {
                s.store.addOrphan(c, leaf);
            }
        }
        Leaf handover = proof.leaves().getFirst();
        if (!s.store.contains(handover.parentCommitment())) {
            s.fetch(handover.parentCommitment(), from);
        }
        proof.handoverQc().ifPresent(qc -> pacemaker.observeQc(qc, "handover QC in the proof of " + from));
        for (Bytes32 c : stored) {
            intake.onLeafStored(c);
        }
        long before = s.epoch;
        pacemaker.observeQc(proof.commitQc(), "commit QC in the handover proof of " + from);
        return new Verdict.Accept(s.epoch > before ? "handover proof of epoch " + before + " decided it"
                : "handover proof of epoch " + before + " taken; waiting for its leaves");
    }

    /**
     * The proof of the handover this epoch started from: a replica that entered the epoch without the handover QC
     * (a restart) takes it, and follows the commit QC into the view after it, where the others are: that QC is the
     * old epoch's, so nothing of this epoch may ever tell it to move there.
     */
    private Verdict learnHandoverQc(int from, HandoverProof proof) {
        QuorumCertificate commit = proof.commitQc();
        Optional<QuorumCertificate> handoverQc = proof.handoverQc().filter(s::isHandoverQc);
        if (proof.epoch() + 1 != s.epoch || commit.epoch() != proof.epoch()
                || !proof.leaves().getFirst().commitment().equals(s.previousHandover)
                || !commit.view().isAfter(proof.leaves().getFirst().view())) {
            return new Verdict.Ignore("handover proof of past epoch " + proof.epoch() + " (now " + s.epoch + ")");
        }
        boolean newQc = s.handoverQc == null && handoverQc.isPresent();
        if (!newQc && commit.view().value() + 1 <= s.currentView.value()) {
            return new Verdict.Ignore("handover proof of epoch " + proof.epoch() + " brings nothing new");
        }
        Optional<Verdict> spent = s.rationSpent(from);
        if (spent.isPresent()) {
            return spent.get();
        }
        Optional<String> bad = handoverQc.flatMap(s.certificates::checkQc).or(() -> s.certificates.checkQc(commit));
        if (bad.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, s.currentView);
            return new Verdict.Reject("handover proof of epoch " + proof.epoch() + ": " + bad.get());
        }
        handoverQc.ifPresent(qc -> pacemaker.observeQc(qc, "handover QC in the proof of " + from));
        pacemaker.enterView(commit.view().next(), "commit QC of epoch " + proof.epoch() + " in the proof of " + from,
                true);
        proposer.maybeRequestBlock();
        return new Verdict.Accept("took the handover proof of epoch " + proof.epoch());
    }

    /** The proof's shape, without crypto: what it claims must be a decided handover of this epoch. */
    private Optional<String> structure(HandoverProof proof) {
        List<Leaf> leaves = proof.leaves();
        Epochs epochs = s.config.epochs();
        long last = epochs.lastHeight(proof.epoch());
        if (leaves.size() > s.config.maxPendingLeaves()) {
            return Optional.of("handover proof of " + leaves.size() + " leaves");
        }
        if (proof.handoverQc().filter(qc -> qc.epoch() != proof.epoch()).isPresent()
                || proof.commitQc().epoch() != proof.epoch()) {
            return Optional.of("handover proof of epoch " + proof.epoch() + " carries a QC of another epoch");
        }
        Leaf handover = leaves.getFirst();
        if (handover.height().value() != last) {
            return Optional.of("handover proof starts at height " + handover.height().value() + ", not " + last);
        }
        Optional<String> table = epochs.checkNextTable(handover);
        if (table.isPresent() || epochs.requiredNextTable(handover.height()).isEmpty()) {
            return Optional.of("handover proof: " + table.orElse("the next table is not known yet"));
        }
        Bytes32 previous = null;
        for (Leaf leaf : leaves) {
            if (leaf.chainId() != s.config.chainId()) {
                return Optional.of("handover proof holds a leaf of chain " + leaf.chainId());
            }
            if (previous != null && (!leaf.parentCommitment().equals(previous)
                    || leaf.height().value() != leaves.get(leaves.indexOf(leaf) - 1).height().value() + 1)) {
                return Optional.of("handover proof's leaves are not a chain at height " + leaf.height().value());
            }
            if (leaf != handover && (!leaf.blockCommitment().equals(Bytes32.ZERO) || leaf.handsOver())) {
                return Optional.of("handover proof holds a suffix leaf with content at " + leaf.height().value());
            }
            previous = leaf.commitment();
        }
        Leaf child = leaves.getLast();
        Leaf parent = leaves.get(leaves.size() - 2);
        if (proof.handoverQc().filter(qc -> !qc.leafCommitment().equals(handover.commitment())).isPresent()
                || !proof.commitQc().leafCommitment().equals(child.commitment())) {
            return Optional.of("handover proof's QCs do not certify its first and last leaves");
        }
        if (!VotingRules.formsTwoChain(parent, child, s.rules.consecutiveViewsToDecide())) {
            return Optional.of("handover proof's last two leaves do not form a two-chain");
        }
        if (!handover.view().isAfter(s.store.anchor().view())) {
            return Optional.of("handover proof's leaf is at or below the last decision");
        }
        return Optional.empty();
    }
}
