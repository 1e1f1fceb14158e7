package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.da.DaCertificateCollector;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The per-view DA state of the block pipeline, as a pure state machine: which proposed blocks this node
 * tracks, whether its own share checked out, whether a DA certificate verified, whether the core was told,
 * and in which views this member signed a DA vote. No I/O, clock, threads or randomness; verifying a
 * certificate is a pure function handed in ({@link CertCheck}), so the simulator can run the same rules with
 * its own crypto.
 *
 * <p>Hostile input, bounded by what a sender cannot choose:
 * <ul>
 *   <li>An entry is created only for a block whose proposal passed the cheap checks (leader of its view,
 *       signature, view window): nobody but a view's leader creates state, and only in its own views.</li>
 *   <li>State is keyed by view and kept for the views in {@code [current - RETAIN_VIEWS, current +
 *       AHEAD_VIEWS]}; a view holds at most {@link #BLOCKS_PER_VIEW} blocks (an equivocating leader fills
 *       only its own view). Entries leave only when their view leaves the window, never by arrival order, so
 *       no flood can evict an honest entry.</li>
 *   <li>A certificate for a block not tracked yet waits in its sender's single slot (a flood replaces
 *       itself); a sender whose certificate failed for a block is never verified again for that block.</li>
 * </ul>
 */
final class DaLedger {
    static final long RETAIN_VIEWS = 64;
    static final long AHEAD_VIEWS = 1_000;
    static final int BLOCKS_PER_VIEW = 4;

    /** Verifies a DA certificate for {@code header}: a reason when it is malformed or invalid. */
    interface CertCheck {
        Optional<String> problem(BlockHeader header, NodeMessage.DaCertMsg cert);

        /**
         * False while the committee of the header's epoch is not known: a certificate for it waits unverified in
         * its sender's slot, since no committee may be guessed.
         */
        default boolean canCheck(BlockHeader header) {
            return true;
        }

        /** False when the header's epoch has no DA committee at all (nobody could form a certificate). */
        default boolean required(BlockHeader header) {
            return true;
        }
    }

    /** What became of a DA certificate a peer sent. */
    sealed interface CertOutcome {
        /** Its block is not tracked (yet): it waits in the sender's slot. */
        record Held() implements CertOutcome {
        }

        /** The block is tracked but its epoch's committee is not known yet: it waits in the sender's slot. */
        record Waiting() implements CertOutcome {
        }

        /** The block is certified already, or this sender's certificate for it failed before. */
        record Redundant() implements CertOutcome {
        }

        record Refused(String reason) implements CertOutcome {
        }

        record Accepted() implements CertOutcome {
        }
    }

    /** One tracked block. Fields are read and written by {@link DaGate}, the ledger's driver. */
    static final class Entry {
        final Bytes32 commitment;
        final BlockHeader header;
        Leaf leaf;
        boolean shareOk;
        boolean certOk;
        /** Leader only: this node proposed the block and collects its DA votes. */
        boolean leading;
        /** Leader only: collects the committee's DA votes, once the block's epoch's committee is known. */
        DaCertificateCollector collector;
        boolean certBroadcast;
        boolean signalled;
        /** Senders whose certificate for this block failed verification (negative cache). */
        final BitSet refused = new BitSet();

        private Entry(Bytes32 commitment, BlockHeader header) {
            this.commitment = commitment;
            this.header = header;
        }

        long view() {
            return header.view().value();
        }
    }

    private final boolean certRequired;
    private final CertCheck check;
    private final TreeMap<Long, Map<Bytes32, Entry>> byView = new TreeMap<>();
    private final Map<Bytes32, Entry> byCommitment = new HashMap<>();
    private final TreeMap<Long, Boolean> votedViews = new TreeMap<>();
    private final NodeMessage.DaCertMsg[] held;
    private long currentView;
    private long certVerifications;
    private long certsAccepted;
    private long certsRefused;

    /**
     * @param senders the peers (one held-certificate slot each)
     * @param certRequired false only when the stake table has no DA committee (nobody could form a certificate)
     */
    DaLedger(int senders, boolean certRequired, CertCheck check) {
        this.certRequired = certRequired;
        this.check = check;
        this.held = new NodeMessage.DaCertMsg[senders];
    }

    /** The core entered {@code view}: views that fell out of the window leave with all their entries. */
    void viewIs(long view) {
        if (view <= currentView) {
            return;
        }
        currentView = view;
        Map<Long, Map<Bytes32, Entry>> gone = byView.headMap(currentView - RETAIN_VIEWS);
        gone.values().forEach(m -> m.keySet().forEach(byCommitment::remove));
        gone.clear();
        votedViews.headMap(currentView - RETAIN_VIEWS).clear();
    }

    private boolean inWindow(long view) {
        return view >= currentView - RETAIN_VIEWS && view <= currentView + AHEAD_VIEWS;
    }

    /**
     * The entry of a block whose proposal passed the cheap checks, created on first sight; empty when its view
     * is outside the window or already holds {@link #BLOCKS_PER_VIEW} other blocks. A certificate held for it
     * is verified now.
     */
    Optional<Entry> track(Bytes32 commitment, BlockHeader header) {
        Entry e = byCommitment.get(commitment);
        if (e != null) {
            return Optional.of(e);
        }
        long view = header.view().value();
        Map<Bytes32, Entry> blocks = byView.get(view);
        if (!inWindow(view) || (blocks != null && blocks.size() >= BLOCKS_PER_VIEW)) {
            return Optional.empty();
        }
        e = new Entry(commitment, header);
        byView.computeIfAbsent(view, v -> new LinkedHashMap<>()).put(commitment, e);
        byCommitment.put(commitment, e);
        for (int i = 0; i < held.length; i++) {
            NodeMessage.DaCertMsg m = held[i];
            if (m != null && m.blockCommitment().equals(commitment)) {
                held[i] = null;
                verify(i, e, m);
            }
        }
        return Optional.of(e);
    }

    Optional<Entry> get(Bytes32 commitment) {
        return Optional.ofNullable(byCommitment.get(commitment));
    }

    /** This node's own share of the tracked block checked out. */
    void shareOk(Entry e, Leaf leaf) {
        e.leaf = leaf;
        e.shareOk = true;
    }

    /** A certificate from peer {@code from} for a block it names. */
    CertOutcome onCert(int from, NodeMessage.DaCertMsg m) {
        Entry e = byCommitment.get(m.blockCommitment());
        if (e == null) {
            if (from >= 0 && from < held.length) {
                held[from] = m;
            }
            return new CertOutcome.Held();
        }
        return verify(from, e, m);
    }

    private CertOutcome verify(int from, Entry e, NodeMessage.DaCertMsg m) {
        if (e.certOk || (from >= 0 && e.refused.get(from))) {
            return new CertOutcome.Redundant();
        }
        if (!check.canCheck(e.header)) {
            if (from >= 0 && from < held.length) {
                held[from] = m;
            }
            return new CertOutcome.Waiting();
        }
        certVerifications++;
        Optional<String> problem = check.problem(e.header, m);
        if (problem.isPresent()) {
            if (from >= 0) {
                e.refused.set(from);
            }
            certsRefused++;
            return new CertOutcome.Refused(problem.get());
        }
        e.certOk = true;
        certsAccepted++;
        return new CertOutcome.Accepted();
    }

    /**
     * Verifies the held certificates of tracked blocks whose committee became known; the entries whose certificate
     * was accepted now. At most one certificate per sender.
     */
    List<Entry> retryHeld() {
        List<Entry> accepted = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            NodeMessage.DaCertMsg m = held[i];
            Entry e = m == null ? null : byCommitment.get(m.blockCommitment());
            if (e != null && check.canCheck(e.header)) {
                held[i] = null;
                if (verify(i, e, m) instanceof CertOutcome.Accepted) {
                    accepted.add(e);
                }
            }
        }
        return accepted;
    }

    /** Entries whose share checked out but which the core was not told of yet (a retry may now signal them). */
    List<Entry> unsignalled() {
        return byCommitment.values().stream().filter(e -> e.shareOk && !e.signalled).toList();
    }

    /** This node (as leader) formed the certificate of {@code e} itself. */
    void certFormed(Entry e) {
        e.certOk = true;
    }

    /** A member signs at most one DA vote per view, whatever a leader proposes; true when it may now. */
    boolean takeDaVote(long view) {
        if (view < currentView - RETAIN_VIEWS || votedViews.containsKey(view)) {
            return false;
        }
        votedViews.put(view, Boolean.TRUE);
        return true;
    }

    /** The leader's collecting entry for {@code view}, if any. */
    Optional<Entry> collecting(long view) {
        Map<Bytes32, Entry> blocks = byView.get(view);
        if (blocks == null) {
            return Optional.empty();
        }
        return blocks.values().stream().filter(e -> e.leading).findFirst();
    }

    /**
     * The gating rule: true exactly once per block, when its own share checked out and a valid certificate is
     * here (or the block's epoch, known, has no committee); the caller then tells the core.
     */
    boolean readyToSignal(Entry e) {
        if (e.signalled || !e.shareOk || (certRequired && !e.certOk && (!check.canCheck(e.header)
                || check.required(e.header)))) {
            return false;
        }
        e.signalled = true;
        return true;
    }

    int trackedCount() {
        return byCommitment.size();
    }

    /** DA certificate verifications done so far (each a pairing check in the node). */
    long certVerifications() {
        return certVerifications;
    }

    /** Certificates from peers that verified, and that failed (held ones included). */
    long certsAccepted() {
        return certsAccepted;
    }

    long certsRefused() {
        return certsRefused;
    }

    long currentView() {
        return currentView;
    }
}
