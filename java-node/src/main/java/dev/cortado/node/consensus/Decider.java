package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.TreeMap;

/**
 * The two-chain decide rule: a QC for a leaf whose parent is one view before it decides that parent and its
 * undecided ancestors. Keeps the QCs above the last decision that may still complete a two-chain once their
 * leaves arrive.
 */
final class Decider {
    private final CoreState s;
    private final DeferredProposals deferred;
    private final TreeMap<View, QuorumCertificate> candidates = new TreeMap<>();

    Decider(CoreState state, DeferredProposals deferred) {
        this.s = state;
        this.deferred = deferred;
    }

    /** A verified QC above the last decision. */
    void candidate(QuorumCertificate qc) {
        candidates.putIfAbsent(qc.view(), qc);
        tryDecide();
    }

    void tryDecide() {
        for (QuorumCertificate qc : candidates.descendingMap().values()) {
            Leaf child = s.store.get(qc.leafCommitment());
            if (child == null) {
                s.fetchCertified(qc);
                continue;
            }
            Leaf parent = s.store.get(child.parentCommitment());
            if (parent != null && parent.view().isAfter(s.store.anchor().view())
                    && VotingRules.formsTwoChain(parent, child, s.rules.consecutiveViewsToDecide())) {
                decide(child.parentCommitment(), parent, child, qc);
                return;
            }
        }
    }

    private void decide(Bytes32 commitment, Leaf leaf, Leaf child, QuorumCertificate commitQc) {
        List<Leaf> chain = s.store.chainFromAnchor(commitment);
        if (chain.isEmpty()) {
            throw new IllegalStateException("leaf of " + leaf.view() + " does not extend the last decision of "
                    + s.store.anchor().view());
        }
        s.record("decided through height " + leaf.height().value(), "QC of " + commitQc.view()
                + " certifies its child");
        s.emit(new Effect.Decide(List.copyOf(chain), child, commitQc));
        s.store.advanceAnchor(commitment, leaf);
        candidates.headMap(leaf.view(), true).clear();
        deferred.dropAtOrBelow(leaf.view());
    }
}
