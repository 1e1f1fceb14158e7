package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Proposals and fetched leaves: validate a proposal (cheap checks, then signature, then body), store its
 * leaf once the parent is known (deferring and fetching otherwise), and after every stored leaf give the
 * decide rule, the proposer and the vote a chance.
 */
final class LeafIntake {
    private final CoreState s;
    private final Pacemaker pacemaker;
    private final Decider decider;
    private final Proposer proposer;
    private final Voting voting;
    private final DeferredProposals deferred;

    LeafIntake(CoreState state, Pacemaker pacemaker, Decider decider, Proposer proposer, Voting voting,
            DeferredProposals deferred) {
        this.s = state;
        this.pacemaker = pacemaker;
        this.decider = decider;
        this.proposer = proposer;
        this.voting = voting;
        this.deferred = deferred;
    }

    Verdict onProposal(int from, Proposal p) {
        Leaf leaf = p.leaf();
        View view = leaf.view();
        if (p.epoch() < s.epoch) {
            return s.pastEpoch(from, p.epoch(), "proposal");
        }
        if (p.epoch() > s.epoch) {
            return s.futureEpoch(from, p.epoch(), "proposal");
        }
        Optional<String> origin = s.validator.proposalOrigin(from, p);
        if (origin.isPresent()) {
            return new Verdict.Reject(origin.get());
        }
        if (!view.isAfter(s.store.anchor().view())) {
            return new Verdict.Ignore("proposal for " + view + " at or below the last decision");
        }
        Bytes32 commitment = leaf.commitment();
        CoreState.SeenProposal first = s.proposals.get(view);
        if (first != null && first.proposal().epoch() != p.epoch()) {
            // Another epoch's leader proposed in this view before this replica entered the new epoch: no equivocation.
            first = null;
        }
        if (first != null && first.commitment().equals(commitment)) {
            return new Verdict.Ignore("duplicate proposal for " + view);
        }
        Optional<Verdict> spent = s.rationSpent(from);
        if (spent.isPresent()) {
            return spent.get();
        }
        Optional<String> signature = s.validator.proposalSignature(p, commitment);
        if (signature.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_SIGNATURE, s.currentView);
            return new Verdict.Reject(signature.get());
        }
        if (first != null) {
            s.keepEvidence(new Evidence.ProposalEquivocation(view, p.proposer(), first.proposal(), p));
            s.misbehaviour.strike(from, Misbehaviour.Kind.EQUIVOCATION, s.currentView);
            return new Verdict.Reject("leader " + p.proposer() + " proposed two leaves in " + view);
        }
        Epochs epochs = s.config.epochs();
        boolean suffix = epochs.isSuffix(s.epoch, leaf.height());
        if (!suffix && epochs.requiredNextTable(leaf.height()).isEmpty()) {
            return new Verdict.Ignore("the stake table of epoch " + (epochs.epochOf(leaf.height()) + 1)
                    + " is not known yet; no vote on its handover");
        }
        QuorumCertificate justify = p.justifyQc();
        Optional<String> useless = s.foreignQc(justify).or(() -> p.viewChange().flatMap(tc -> s.foreignQc(tc.highQc())));
        if (useless.isPresent()) {
            return new Verdict.Ignore("proposal for " + view + ": " + useless.get());
        }
        Optional<String> bad = (suffix ? suffixRule(leaf) : Optional.<String>empty())
                .or(() -> s.validator.proposalBody(p, s.isHandoverQc(justify)))
                .or(() -> s.rules.handoverCheck() && !suffix ? epochs.checkNextTable(leaf) : Optional.empty());
        if (bad.isPresent()) {
            s.misbehaviour.strike(from, Misbehaviour.Kind.INVALID_CERTIFICATE, s.currentView);
            return new Verdict.Reject(bad.get());
        }
        CoreState.SeenProposal seen = new CoreState.SeenProposal(p, commitment);
        s.proposals.put(view, seen);
        pacemaker.observeQc(p.justifyQc(), "justify QC of the proposal for " + view);
        p.viewChange().ifPresent(tc -> pacemaker.observeTc(tc, "TC in the proposal for " + view));
        if (s.isHandoverQc(justify) && p.viewChange().isEmpty() && view.value() <= s.currentView.value()
                + s.config.maxFutureViews()) {
            // The first proposal of an epoch is valid in any view, so it is what synchronises the new table's views:
            // the QC or TC that moved the others into this view may be the old epoch's, of no use here.
            pacemaker.enterView(view, "first proposal of epoch " + s.epoch + " is for " + view, true);
        }
        if (s.epoch != p.epoch()) {
            return new Verdict.Ignore("proposal for " + view + ": its certificates decided the handover of epoch "
                    + p.epoch() + ", whose leaves after it are of no use");
        }
        Verdict stored = attachProposedLeaf(from, seen);
        if (view.isBefore(s.currentView) && !(stored instanceof Verdict.Reject)) {
            return new Verdict.Ignore("proposal for past " + view + " (now " + s.currentView + "); kept its leaf");
        }
        return stored;
    }

    /**
     * A leaf of the current epoch above its last height (after the handover leaf, before the handover is decided)
     * keeps the old table going without content: it is never decided, so a block in it would be lost.
     */
    private Optional<String> suffixRule(Leaf leaf) {
        if (!leaf.blockCommitment().equals(Bytes32.ZERO) || leaf.handsOver()) {
            return Optional.of("suffix leaf at " + leaf.height() + " (after the handover of epoch " + s.epoch
                    + ") carries " + (leaf.handsOver() ? "a next stake table" : "a block"));
        }
        return Optional.empty();
    }

    /** Stores the proposal's leaf once its parent is known; defers (and fetches the parent) otherwise. */
    private Verdict attachProposedLeaf(int from, CoreState.SeenProposal seen) {
        Leaf leaf = seen.proposal().leaf();
        Leaf parent = s.store.get(leaf.parentCommitment());
        if (parent == null) {
            if (deferred.isFull()) {
                return new Verdict.Ignore("too many proposals wait for their parent");
            }
            deferred.add(leaf.parentCommitment(), new DeferredProposals.Deferred(from, seen));
            s.fetch(leaf.parentCommitment(), from);
            return new Verdict.Defer("parent " + leaf.parentCommitment() + " unknown; fetching it from " + from);
        }
        if (!leaf.height().equals(parent.height().next())) {
            return new Verdict.Reject("height " + leaf.height().value() + " is not parent height "
                    + parent.height().value() + " + 1");
        }
        if (!s.store.add(seen.commitment(), leaf)) {
            return new Verdict.Ignore("leaf of " + leaf.view() + " no longer extends the last decision");
        }
        onLeafStored(seen.commitment());
        return new Verdict.Accept("proposal for " + leaf.view() + " stored");
    }

    /** This replica's own proposed leaf, stored like a received one. */
    void storeOwn(Bytes32 commitment, Leaf leaf) {
        s.store.add(commitment, leaf);
        onLeafStored(commitment);
    }

    void onLeafStored(Bytes32 commitment) {
        ArrayDeque<Bytes32> work = new ArrayDeque<>();
        work.add(commitment);
        while (!work.isEmpty()) {
            Bytes32 c = work.poll();
            s.fetcher.received(c);
            for (Map.Entry<Bytes32, Leaf> child : s.store.takeOrphanChildren(c)) {
                if (s.store.add(child.getKey(), child.getValue())) {
                    work.add(child.getKey());
                }
            }
            List<DeferredProposals.Deferred> waiting = deferred.take(c);
            if (waiting != null) {
                for (DeferredProposals.Deferred d : waiting) {
                    Verdict v = attachProposedLeaf(d.from(), d.seen());
                    s.log("deferred-proposal", d.from(), d.seen().proposal().leaf().view(), v);
                }
            }
        }
        decider.tryDecide();
        proposer.maybeRequestBlock();
        voting.tryVote();
    }

    Verdict onLeaves(int from, List<Leaf> leaves) {
        if (leaves.size() > s.config.maxPendingLeaves()) {
            return new Verdict.Reject(leaves.size() + " leaves in one response exceed " + s.config.maxPendingLeaves());
        }
        for (Leaf leaf : leaves) {
            if (leaf.chainId() != s.config.chainId()) {
                return new Verdict.Reject("leaf for chain " + leaf.chainId());
            }
        }
        LeafFetcher.Outcome outcome = s.fetcher.accept(from, leaves, s.store);
        for (Bytes32 c : outcome.stored()) {
            onLeafStored(c);
        }
        s.out.addAll(outcome.requests());
        int taken = outcome.taken();
        return taken == 0 ? new Verdict.Ignore("no requested leaf in the response")
                : new Verdict.Accept(taken + " requested leaves received");
    }
}
