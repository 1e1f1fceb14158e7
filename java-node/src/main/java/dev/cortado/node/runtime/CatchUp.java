package dev.cortado.node.runtime;

import dev.cortado.node.consensus.CertificateValidator;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.VotingRules;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.DecidedBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetching decided blocks a node missed (after a restart, or when it fell behind) from peers'
 * stores, and serving them. A reply is trusted only as a whole: its leaves must chain from our
 * decided tip, each block must match its leaf, and the last leaf must be decided by the two-chain
 * rule (its child in the next view, certified by a valid QC of more than 2/3 of stake).
 */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    static final int BATCH = 64;
    static final long REQUEST_TIMEOUT_MS = 2_000;
    /** No decision for this long means we may be behind: ask a peer. */
    static final long STALL_MS = 3_000;
    /** Room left in a frame for the reply's framing and its decide proof (a leaf and a QC, well under this). */
    static final int FRAME_MARGIN_BYTES = 16 << 10;

    private final CortadoNode node;
    private final CertificateValidator validator;
    private long requestedAtMs = -1;
    private long lastProgressMs;
    private int nextPeer;
    private boolean synced;

    CatchUp(CortadoNode node) {
        this.node = node;
        this.validator = new CertificateValidator(node.settings.chainId(),
                new dev.cortado.node.consensus.StakeWeights(node.settings.table().stream().mapToLong(e -> e.stakeGwei()).toArray()),
                node.crypto);
        this.lastProgressMs = 0;
    }

    /** Asks the next connected peer for blocks after our tip, unless a request is outstanding. */
    void request() {
        long now = node.nowMs();
        if (requestedAtMs >= 0 && now - requestedAtMs < REQUEST_TIMEOUT_MS) {
            return;
        }
        int n = node.peerKeys.size();
        for (int i = 0; i < n; i++) {
            int peer = (nextPeer + i) % n;
            if (peer != node.me && node.network().connectedPeers().contains(node.peerKeys.get(peer))) {
                nextPeer = peer + 1;
                requestedAtMs = now;
                node.network().sendDirect(node.peerKeys.get(peer),
                        node.codec.encode(new NodeMessage.BlocksRequest(node.commitments.size(), BATCH)));
                return;
            }
        }
    }

    void tick() {
        if (node.nowMs() - lastProgressMs > STALL_MS) {
            request();
        }
    }

    void decided() {
        lastProgressMs = node.nowMs();
    }

    /**
     * Answers with the decided blocks from the requested height, as many as fit one frame (at least
     * one: the configuration guarantees that a full block fits) and at most {@link #BATCH}, ending at
     * the last height in that run for which a decide proof is stored.
     */
    void serve(int from, NodeMessage.BlocksRequest r) {
        long latest = node.store.latestHeight();
        long from0 = Math.max(r.fromHeight(), node.store.pruneFloor());
        if (r.fromHeight() < node.store.pruneFloor() || from0 > latest) {
            node.network().sendDirect(node.peerKeys.get(from), node.codec.encode(new NodeMessage.BlocksReply(List.of(), Optional.empty())));
            return;
        }
        long to = Math.min(latest, from0 + Math.min(r.max(), BATCH) - 1);
        Optional<Long> end = node.store.highestProofIn(from0, to);
        List<NodeMessage.DecidedBlockData> out = new ArrayList<>();
        Optional<NodeMessage.DecideProof> proof = Optional.empty();
        long budgetBytes = (long) node.settings.maxFrameBytes() - FRAME_MARGIN_BYTES;
        long usedBytes = 0;
        if (end.isPresent()) {
            for (DecidedBlock d : node.store.decidedRange(from0, (int) (end.get() - from0 + 1))) {
                Optional<byte[]> stored = node.store.payload(d.height());
                WireReader payload = stored.map(WireReader::new).orElse(null);
                NodeMessage.BlockData data = payload == null ? null : new NodeMessage.BlockData(d.header(),
                        payload.bytes("ns table", Integer.MAX_VALUE), payload.bytes("payload", Integer.MAX_VALUE));
                long size = data == null ? 0 : encodedBytes(d, data);
                // A node that keeps no payloads (or lost some) serves only the run it holds, and nobody sends
                // more than a frame holds: the run ends at the last decide proof before the cut, and the
                // requester asks again for the rest.
                if (data == null || (!out.isEmpty() && usedBytes + size > budgetBytes)) {
                    end = d.height() > from0 ? node.store.highestProofIn(from0, d.height() - 1) : Optional.empty();
                    long last = end.orElse(from0 - 1);
                    out.removeIf(b -> b.leaf().height().value() > last);
                    break;
                }
                usedBytes += size;
                out.add(new NodeMessage.DecidedBlockData(NodeCodec.leaf(new WireReader(d.leaf())), data));
            }
            if (end.isPresent()) {
                proof = Optional.of(node.decodeProof(node.store.decideProof(end.get()).orElseThrow()));
            }
        }
        node.network().sendDirect(node.peerKeys.get(from), node.codec.encode(new NodeMessage.BlocksReply(out, proof)));
    }

    /** Bytes one block takes in a reply: its parts, its leaf and their length prefixes (an upper bound). */
    static long encodedBytes(DecidedBlock d, NodeMessage.BlockData data) {
        return (long) d.leaf().length + data.header().length + data.nsTable().length + data.payload().length + 64;
    }

    /** True once a peer answered with everything it had past our tip. */
    boolean synced() {
        return synced;
    }

    void onReply(int from, NodeMessage.BlocksReply r) {
        requestedAtMs = -1;
        if (r.blocks().isEmpty()) {
            // Replies are cut to a frame, so only an empty one says the peer had nothing more.
            synced = true;
            return;
        }
        List<Blocks.Block> checked = new ArrayList<>();
        Leaf prev = node.lastDecided;
        try {
            if (r.proof().isEmpty()) {
                throw new BlockRejected("no decide proof");
            }
            long nextHeight = node.commitments.size();
            for (NodeMessage.DecidedBlockData d : r.blocks()) {
                Leaf leaf = d.leaf();
                if (leaf.height().value() != nextHeight || !leaf.parentCommitment().equals(prev.commitment())) {
                    throw new BlockRejected("leaf at height " + leaf.height().value() + " does not extend our chain at " + (nextHeight - 1));
                }
                Blocks.Block b = node.blocks.check(d.block(), leaf);
                if (!b.header().parent().equals(prev.blockCommitment())) {
                    throw new BlockRejected("header parent mismatch at height " + nextHeight);
                }
                checked.add(b);
                prev = leaf;
                nextHeight++;
            }
            NodeMessage.DecideProof proof = r.proof().get();
            Leaf child = proof.certifiedChild();
            if (!child.parentCommitment().equals(prev.commitment()) || !VotingRules.formsTwoChain(prev, child)) {
                throw new BlockRejected("decide proof's child does not form a two-chain with the last block");
            }
            if (!proof.commitQc().leafCommitment().equals(child.commitment())) {
                throw new BlockRejected("decide proof's QC certifies another leaf");
            }
            Optional<String> qcProblem = validator.checkQc(proof.commitQc());
            if (qcProblem.isPresent()) {
                throw new BlockRejected("decide proof's QC is invalid: " + qcProblem.get());
            }
        } catch (BlockRejected e) {
            LOG.info("node {}: catch-up reply from {} refused: {}", node.me, from, e.getMessage());
            return;
        }
        // blockCommRoot can only be checked as the log grows, so check while appending.
        for (int i = 0; i < checked.size(); i++) {
            Blocks.Block b = checked.get(i);
            if (!b.header().blockCommRoot().equals(node.commitments.rootFor(List.of()))) {
                LOG.info("node {}: catch-up block {} from {} has a wrong blockCommRoot", node.me, b.header().height().value(), from);
                return;
            }
            boolean last = i == checked.size() - 1;
            node.persistDecided(r.blocks().get(i).leaf(), b, null, last ? node.encodeProof(r.proof().get()) : null);
        }
        LOG.info("node {}: caught up to height {} from node {}", node.me, node.lastDecided.height().value(), from);
        // The core cannot bridge a gap of decided blocks itself: peers answer leaf fetches only for
        // undecided leaves, so a core anchored below the caught-up tip would never attach new proposals.
        if (!node.coreStarted || node.core.lastDecided().height().value() < node.lastDecided.height().value()) {
            node.restartCore();
        }
        request();
    }
}
