package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a replica keeps to help others across handovers: the proofs of the last few handovers it decided (by
 * epoch) and, per peer index, when it last answered that peer, so a lagging peer gets at most one proof per base
 * timeout however many old-epoch messages or requests it sends (per time, not per view: the views of the new epoch
 * may be stuck until that very peer catches up). It also remembers the current epoch's
 * recent QCs by leaf, so that on deciding the handover leaf it still holds the QC the next epoch builds on. All of
 * it is bounded and keyed by what a sender cannot choose (epochs this replica decided, peer indices, QCs it
 * verified).
 */
final class HandoverProofs {
    /** Enough for a replica that slept through a long outage at short epochs; older ones need a full catch-up. */
    private static final int EPOCHS_KEPT = 256;
    private static final int QCS_KEPT = 64;

    private final TreeMap<Long, HandoverProof> byEpoch = new TreeMap<>();
    private final long[] answeredAtMs;
    private final long[] answeredEpoch;
    private final long gapMs;
    private final Map<Bytes32, QuorumCertificate> recentQcs = new LinkedHashMap<>(QCS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, QuorumCertificate> eldest) {
            return size() > QCS_KEPT;
        }
    };

    HandoverProofs(int universe, long gapMs) {
        answeredAtMs = new long[universe];
        Arrays.fill(answeredAtMs, Long.MIN_VALUE / 2);
        answeredEpoch = new long[universe];
        Arrays.fill(answeredEpoch, -1);
        this.gapMs = gapMs;
    }

    /** The handover QC of a kept proof that lacks it was learnt: keep the proof with it. */
    void complete(QuorumCertificate handoverQc) {
        HandoverProof kept = byEpoch.get(handoverQc.epoch());
        if (kept != null && kept.handoverQc().isEmpty()
                && kept.leaves().getFirst().commitment().equals(handoverQc.leafCommitment())) {
            keep(new HandoverProof(kept.epoch(), Optional.of(handoverQc), kept.commitQc(), kept.leaves()));
        }
    }

    void keep(HandoverProof proof) {
        byEpoch.put(proof.epoch(), proof);
        while (byEpoch.size() > EPOCHS_KEPT) {
            byEpoch.pollFirstEntry();
        }
    }

    /**
     * The proof to send {@code peer}, which spoke {@code epoch} at {@code nowMs}: at most once per gap for one
     * epoch, at once for the next one (a peer catching up through many handovers asks for each in turn).
     */
    Optional<HandoverProof> answer(int peer, long epoch, long nowMs) {
        HandoverProof proof = byEpoch.get(epoch);
        if (proof == null || peer < 0 || peer >= answeredAtMs.length
                || (epoch <= answeredEpoch[peer] && nowMs - answeredAtMs[peer] < gapMs)) {
            return Optional.empty();
        }
        answeredAtMs[peer] = nowMs;
        answeredEpoch[peer] = epoch;
        return Optional.of(proof);
    }

    Optional<HandoverProof> of(long epoch) {
        return Optional.ofNullable(byEpoch.get(epoch));
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
