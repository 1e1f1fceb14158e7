package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a replica keeps to help others across handovers: the proofs of the last few handovers it decided (by
 * epoch) and, per peer index, the view in which it last answered that peer, so a lagging peer gets at most one
 * proof per view of this replica however many old-epoch messages it sends. It also remembers the current epoch's
 * recent QCs by leaf, so that on deciding the handover leaf it still holds the QC the next epoch builds on. All of
 * it is bounded and keyed by what a sender cannot choose (epochs this replica decided, peer indices, QCs it
 * verified).
 */
final class HandoverProofs {
    private static final int EPOCHS_KEPT = 8;
    private static final int QCS_KEPT = 64;

    private final TreeMap<Long, HandoverProof> byEpoch = new TreeMap<>();
    private final View[] answeredInView;
    private final Map<Bytes32, QuorumCertificate> recentQcs = new LinkedHashMap<>(QCS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, QuorumCertificate> eldest) {
            return size() > QCS_KEPT;
        }
    };

    HandoverProofs(int universe) {
        answeredInView = new View[universe];
        Arrays.fill(answeredInView, View.ZERO);
    }

    void keep(HandoverProof proof) {
        byEpoch.put(proof.epoch(), proof);
        while (byEpoch.size() > EPOCHS_KEPT) {
            byEpoch.pollFirstEntry();
        }
    }

    /** The proof to send {@code peer}, which spoke {@code epoch} while this replica is in {@code view}; once per view. */
    Optional<HandoverProof> answer(int peer, long epoch, View view) {
        HandoverProof proof = byEpoch.get(epoch);
        if (proof == null || peer < 0 || peer >= answeredInView.length || !view.isAfter(answeredInView[peer])) {
            return Optional.empty();
        }
        answeredInView[peer] = view;
        return Optional.of(proof);
    }

    /** A verified QC of the current epoch. */
    void rememberQc(QuorumCertificate qc) {
        recentQcs.putIfAbsent(qc.leafCommitment(), qc);
    }

    /** The remembered QC on {@code leaf}, if any; forgets the rest (a new epoch starts). */
    Optional<QuorumCertificate> takeQcOn(Bytes32 leaf) {
        QuorumCertificate qc = recentQcs.get(leaf);
        recentQcs.clear();
        return Optional.ofNullable(qc);
    }
}
