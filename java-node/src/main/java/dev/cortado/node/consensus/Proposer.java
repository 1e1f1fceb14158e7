package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Optional;

/**
 * The leader's side: ask the driver for a block once the view is justified by QC(v-1) or TC(v-1), and turn
 * the built block into a signed proposal. At most one request is open, for the current view.
 */
final class Proposer {
    private record BuildRequest(View view, Leaf parent, QuorumCertificate justifyQc,
            Optional<TimeoutCertificate> viewChange) {
    }

    /** The result of {@link #onBlockBuilt}: the verdict, and the own leaf to store when one was proposed. */
    record Built(Verdict verdict, Bytes32 commitment, Leaf leaf) {
        static Built ignored(String reason) {
            return new Built(new Verdict.Ignore(reason), null, null);
        }
    }

    private final CoreState s;
    private BuildRequest buildRequest;

    Proposer(CoreState state) {
        this.s = state;
    }

    /** A new view drops the request of the previous one. */
    void forgetRequest() {
        buildRequest = null;
    }

    /** As leader, ask for a block as soon as this view is justified by QC(v-1) or TC(v-1). */
    void maybeRequestBlock() {
        View view = s.currentView;
        if (s.schedule.leader(view) != s.me || !s.isMember() || buildRequest != null || s.proposals.containsKey(view)
                || !view.isAfter(s.safety.highestVotedView())) {
            return;
        }
        if (s.foreignQc(s.highQc).isPresent()) {
            return;
        }
        Optional<TimeoutCertificate> tc = s.entryTc();
        boolean afterQc = s.highQc.view().value() + 1 == view.value();
        // The first leaf of an epoch extends the decided handover leaf, in whichever view its leader gets to.
        boolean startsEpoch = s.isHandoverQc(s.highQc);
        if (!afterQc && tc.isEmpty() && !startsEpoch) {
            return;
        }
        Leaf parent = s.store.get(s.highQc.leafCommitment());
        if (parent == null) {
            s.fetchCertified(s.highQc);
            return;
        }
        buildRequest = new BuildRequest(view, parent, s.highQc, afterQc || tc.isEmpty() ? Optional.empty() : tc);
        if (s.config.epochs().isSuffix(s.epoch, parent.height().next())) {
            // A suffix leaf is empty: no block to build, propose at once.
            s.replay.add(new Input.BlockBuilt(view, Bytes32.ZERO));
            return;
        }
        s.emit(new Effect.BuildBlock(view, parent));
    }

    /** Signs and broadcasts the proposal; the caller stores the returned leaf like any received one. */
    Built onBlockBuilt(View view, Bytes32 blockCommitment) {
        BuildRequest request = buildRequest;
        if (request == null || !request.view().equals(view) || !view.equals(s.currentView)) {
            return Built.ignored("no block was requested for " + view);
        }
        if (s.proposals.containsKey(view)) {
            return Built.ignored("already proposed in " + view);
        }
        if (!view.isAfter(s.safety.highestVotedView())) {
            return Built.ignored("already voted or timed out in " + view);
        }
        Leaf parent = request.parent();
        Bytes32 parentCommitment = parent.commitment();
        if (!s.store.contains(parentCommitment)) {
            return Built.ignored("parent of the block for " + view + " was pruned by a decision");
        }
        boolean suffix = s.config.epochs().isSuffix(s.epoch, parent.height().next());
        if (suffix && !blockCommitment.equals(Bytes32.ZERO)) {
            return Built.ignored("the leaf of " + view + " is a suffix leaf of epoch " + s.epoch + ": no block");
        }
        Optional<Bytes32> nextTable = suffix ? Optional.of(Bytes32.ZERO)
                : s.config.epochs().requiredNextTable(parent.height().next());
        if (nextTable.isEmpty()) {
            return Built.ignored("the stake table the handover in " + view + " must name is not known yet");
        }
        Leaf leaf = new Leaf(s.config.chainId(), view, parent.height().next(), parentCommitment, blockCommitment,
                request.justifyQc().view(), nextTable.get());
        Bytes32 commitment = leaf.commitment();
        Proposal proposal = new Proposal(leaf, request.justifyQc(), request.viewChange(), s.me,
                s.signer.sign(s.certificates.quorumDigest(s.epoch, view, commitment)), s.epoch);
        s.proposals.put(view, new CoreState.SeenProposal(proposal, commitment));
        s.record("proposed in " + view, "block " + blockCommitment + " on parent of " + parent.view());
        // The proposal signature is a vote: persist it first, so a restart cannot propose a second leaf here.
        s.updateSafety(new SafetyState(view, VotingRules.nextLock(s.safety.lockedQc(), request.justifyQc(), s.epoch)),
                "proposing in " + view);
        s.ownProposalView = view;
        s.emit(new Effect.BroadcastProposal(proposal));
        return new Built(new Verdict.Accept("proposed in " + view), commitment, leaf);
    }
}
