package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the Byzantine replicas of one run know together (they are one adversary): every leaf and verified
 * certificate any of them saw, the timeout votes they received, and which QCs they formed and hid. Kept
 * for a window of recent views so long runs stay small.
 */
final class Coalition {
    private static final int WINDOW_VIEWS = 64;

    private final Map<Bytes32, Leaf> leaves = new HashMap<>();
    private final TreeMap<View, List<QuorumCertificate>> qcs = new TreeMap<>();
    private final Set<QuorumCertificate> hidden = new HashSet<>();
    private final TreeMap<View, TimeoutCertificate> tcs = new TreeMap<>();
    private final TreeMap<View, Map<Integer, TimeoutVote>> timeoutVotes = new TreeMap<>();
    private final java.util.LinkedHashSet<Bytes32> lifted = new java.util.LinkedHashSet<>();
    private final List<QuorumCertificate> releases = new ArrayList<>();
    private long prunedBelow;
    private long decidedHeight;

    void learnLeaf(Leaf leaf) {
        leaves.putIfAbsent(leaf.commitment(), leaf);
    }

    /** A coalition replica's observer decided these leaves (the coalition learns them too). */
    void decided(List<Leaf> leaves) {
        for (Leaf leaf : leaves) {
            learnLeaf(leaf);
            decidedHeight = Math.max(decidedHeight, leaf.height().value());
        }
    }

    /** The highest height a coalition replica saw decided (honest replicas decided it too: safety). */
    long decidedHeight() {
        return decidedHeight;
    }

    Leaf leaf(Bytes32 commitment) {
        return leaves.get(commitment);
    }

    /** A verified QC; {@code hide} marks one the coalition formed and keeps to itself. */
    void learnQc(QuorumCertificate qc, boolean hide) {
        List<QuorumCertificate> atView = qcs.computeIfAbsent(qc.view(), v -> new ArrayList<>());
        if (!atView.contains(qc)) {
            atView.add(qc);
        }
        if (hide) {
            hidden.add(qc);
        }
        prune(qc.view());
    }

    /** Honest replicas have seen it now (the coalition released it, or someone else formed it too). */
    void published(QuorumCertificate qc) {
        hidden.remove(qc);
    }

    boolean isHidden(QuorumCertificate qc) {
        return hidden.contains(qc);
    }

    /** Every QC known, oldest view first. */
    List<QuorumCertificate> qcs() {
        List<QuorumCertificate> all = new ArrayList<>();
        qcs.values().forEach(all::addAll);
        return all;
    }

    List<QuorumCertificate> hiddenQcs() {
        return qcs().stream().filter(hidden::contains).toList();
    }

    /** A leaf the coalition proposed on a hidden QC (its QC is released to one honest replica). */
    void markLifted(Bytes32 leafCommitment) {
        lifted.add(leafCommitment);
        if (lifted.size() > 256) {
            lifted.remove(lifted.iterator().next());
        }
    }

    boolean isLifted(Bytes32 leafCommitment) {
        return lifted.contains(leafCommitment);
    }

    /** A hidden QC to hand to one honest replica when a coalition replica next leads. */
    void releaseLater(QuorumCertificate qc) {
        releases.add(qc);
    }

    List<QuorumCertificate> takeReleases() {
        List<QuorumCertificate> out = List.copyOf(releases);
        releases.clear();
        return out;
    }

    void learnTc(TimeoutCertificate tc) {
        tcs.putIfAbsent(tc.view(), tc);
    }

    TimeoutCertificate tc(View view) {
        return tcs.get(view);
    }

    /** A verified timeout vote (its QC verified and its signature checked). */
    void learnTimeoutVote(TimeoutVote vote) {
        timeoutVotes.computeIfAbsent(vote.view(), v -> new HashMap<>()).putIfAbsent(vote.voter(), vote);
        prune(vote.view());
    }

    Map<Integer, TimeoutVote> timeoutVotes(View view) {
        return timeoutVotes.getOrDefault(view, Map.of());
    }

    private void prune(View newest) {
        long floorValue = newest.value() - WINDOW_VIEWS;
        if (floorValue <= prunedBelow) {
            return;
        }
        prunedBelow = floorValue;
        View floor = View.of(floorValue);
        qcs.headMap(floor).values().forEach(list -> list.forEach(hidden::remove));
        qcs.headMap(floor).clear();
        tcs.headMap(floor).clear();
        timeoutVotes.headMap(floor).clear();
        leaves.values().removeIf(l -> l.view().isBefore(floor) && l.view().value() > 0);
    }
}
