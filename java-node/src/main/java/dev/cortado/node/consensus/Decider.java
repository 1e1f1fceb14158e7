package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The two-chain decide rule: a QC for a leaf whose parent is one view before it decides that parent and its
 * undecided ancestors. Keeps the QCs above the last decision that may still complete a two-chain once their
 * leaves arrive. A decision never goes past the current epoch's handover leaf: the empty suffix leaves above it
 * are dropped, the handover leaf becomes the anchor and {@link EpochSwitch} starts the next epoch.
 */
final class Decider {
    private final CoreState s;
    private final DeferredProposals deferred;
    private final TreeMap<View, QuorumCertificate> candidates = new TreeMap<>();
    private EpochSwitch epochSwitch;

    Decider(CoreState state, DeferredProposals deferred) {
        this.s = state;
        this.deferred = deferred;
    }

    void epochSwitch(EpochSwitch next) {
        this.epochSwitch = next;
    }

    /** A verified QC of the current epoch above the last decision. */
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
        long lastHeight = s.config.epochs().lastHeight(s.epoch);
        int kept = 0;
        while (kept < chain.size() && chain.get(kept).height().value() <= lastHeight) {
            kept++;
        }
        List<Leaf> decided = List.copyOf(chain.subList(0, kept));
        Leaf last = decided.getLast();
        s.record("decided through height " + last.height().value(), "QC of " + commitQc.view()
                + " certifies its child" + (kept < chain.size() ? " (" + (chain.size() - kept)
                        + " suffix leaves dropped)" : ""));
        s.emit(new Effect.Decide(decided, child, commitQc));
        if (last.height().value() != lastHeight) {
            s.store.advanceAnchor(commitment, leaf);
            candidates.headMap(leaf.view(), true).clear();
            deferred.dropAtOrBelow(leaf.view());
            return;
        }
        List<Leaf> fromHandover = new ArrayList<>(chain.subList(kept - 1, chain.size()));
        fromHandover.add(child);
        s.store.advanceAnchor(last.commitment(), last);
        candidates.clear();
        deferred.dropAtOrBelow(leaf.view());
        epochSwitch.enterNext(fromHandover, commitQc);
    }
}
