package dev.cortado.node.runtime;

import dev.cortado.node.consensus.CertificateValidator;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.EpochValidators;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.VotingRules;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
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
 *
 * <p>Across stake-table epochs (issue 14) a reply never crosses an epoch's end: the server cuts its run at the
 * epoch's handover leaf, and the requester refuses a reply that goes past it. The decide proof's QC must be of the
 * epoch the heights fall in (the schedule, not the peer, says which) and is measured by that epoch's table from
 * this node's own table source; the handover leaf must name the next table's commitment from that source, every
 * other leaf none. So a block of epoch e+1 is taken only on top of epoch e's handover leaf, already decided here
 * and checked against the table every replica derives.
 */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    static final int BATCH = 64;
    static final long REQUEST_TIMEOUT_MS = 2_000;
    /** No decision for this long means we may be behind: ask a peer. */
    static final long STALL_MS = 3_000;
    /** Room left in a frame for the reply's framing and its decide proof (a leaf and a QC, well under this). */
    static final int FRAME_MARGIN_BYTES = 16 << 10;

    /** The consensus core as catch-up sees it: whether it runs, where it is anchored, and how to re-anchor it. */
    interface CoreAnchor {
        boolean started();

        long anchorHeight();

        /** True when the core holds this leaf (decided or not): it extends the core's chain, no gap to bridge. */
        boolean holds(dev.cortado.protocol.types.Bytes32 leafCommitment);

        /** Replaces the core with one anchored at the decided tip (safety state comes from disk). */
        void restart();
    }

    private final NodeSettings settings;
    private final PeerLink peers;
    private final NodeStore store;
    private final DecidedChain chain;
    private final Blocks blocks;
    private final java.util.function.LongSupplier clockMs;
    private final CoreAnchor core;
    private final CertificateValidator validator;
    private final Epochs epochs;
    private long requestedAtMs = -1;
    private long lastProgressMs;
    private int nextPeer;
    private boolean synced;

    CatchUp(NodeSettings settings, ConsensusConfig config, PeerLink peers, NodeStore store, DecidedChain chain, Blocks blocks,
            dev.cortado.node.consensus.ConsensusCrypto crypto, java.util.function.LongSupplier clockMs, CoreAnchor core) {
        this.settings = settings;
        this.peers = peers;
        this.store = store;
        this.chain = chain;
        this.blocks = blocks;
        this.clockMs = clockMs;
        this.core = core;
        EpochValidators validators = new EpochValidators(config, crypto);
        this.validator = validators.certificates();
        this.epochs = config.epochs();
        this.lastProgressMs = 0;
    }

    /** Asks the next connected peer for blocks after our tip, unless a request is outstanding. */
    void request() {
        long now = clockMs.getAsLong();
        if (requestedAtMs >= 0 && now - requestedAtMs < REQUEST_TIMEOUT_MS) {
            return;
        }
        int n = peers.size();
        for (int i = 0; i < n; i++) {
            int peer = (nextPeer + i) % n;
            if (peer != peers.me && peers.connected(peer)) {
                nextPeer = peer + 1;
                requestedAtMs = now;
                peers.sendDirect(peer, new NodeMessage.BlocksRequest(chain.nextHeight(), BATCH));
                return;
            }
        }
    }

    void tick() {
        if (clockMs.getAsLong() - lastProgressMs > STALL_MS) {
            request();
        }
    }

    void decided() {
        lastProgressMs = clockMs.getAsLong();
    }

    /**
     * Answers with the decided blocks from the requested height, as many as fit one frame (at least
     * one: the configuration guarantees that a full block fits) and at most {@link #BATCH}, ending at
     * the last height in that run for which a decide proof is stored.
     */
    void serve(int from, NodeMessage.BlocksRequest r) {
        long latest = store.latestHeight();
        long from0 = Math.max(r.fromHeight(), store.pruneFloor());
        if (r.fromHeight() < store.pruneFloor() || from0 > latest) {
            peers.sendDirect(from, new NodeMessage.BlocksReply(List.of(), Optional.empty()));
            return;
        }
        long epochEnd = epochs.lastHeight(epochs.epochOf(new dev.cortado.protocol.types.Height(from0)));
        long to = Math.min(Math.min(latest, epochEnd), from0 + Math.min(r.max(), BATCH) - 1);
        Optional<Long> end = store.highestProofIn(from0, to);
        List<NodeMessage.DecidedBlockData> out = new ArrayList<>();
        Optional<NodeMessage.DecideProof> proof = Optional.empty();
        long budgetBytes = (long) settings.maxFrameBytes() - FRAME_MARGIN_BYTES;
        long usedBytes = 0;
        if (end.isPresent()) {
            for (DecidedBlock d : store.decidedRange(from0, (int) (end.get() - from0 + 1))) {
                Optional<byte[]> stored = store.payload(d.height());
                WireReader payload = stored.map(WireReader::new).orElse(null);
                NodeMessage.BlockData data = payload == null ? null : new NodeMessage.BlockData(d.header(),
                        payload.bytes("ns table", Integer.MAX_VALUE), payload.bytes("payload", Integer.MAX_VALUE));
                long size = data == null ? 0 : encodedBytes(d, data);
                // A node that keeps no payloads (or lost some) serves only the run it holds, and nobody sends
                // more than a frame holds: the run ends at the last decide proof before the cut, and the
                // requester asks again for the rest.
                if (data == null || (!out.isEmpty() && usedBytes + size > budgetBytes)) {
                    end = d.height() > from0 ? store.highestProofIn(from0, d.height() - 1) : Optional.empty();
                    long last = end.orElse(from0 - 1);
                    out.removeIf(b -> b.leaf().height().value() > last);
                    break;
                }
                usedBytes += size;
                out.add(new NodeMessage.DecidedBlockData(NodeCodec.leaf(new WireReader(d.leaf())), data));
            }
            if (end.isPresent()) {
                proof = Optional.of(chain.decodeProof(store.decideProof(end.get()).orElseThrow()));
            }
        }
        peers.sendDirect(from, new NodeMessage.BlocksReply(out, proof));
    }

    /** A suffix leaf of the decide proof: above {@code epoch}'s handover leaf, on {@code parent}, without a block. */
    private void checkSuffix(Leaf parent, Leaf leaf, long epoch) throws BlockRejected {
        if (!leaf.parentCommitment().equals(parent.commitment()) || leaf.height().value() != parent.height().value() + 1) {
            throw new BlockRejected("decide proof's suffix leaf at height " + leaf.height().value() + " does not extend "
                    + parent.height().value());
        }
        if (!epochs.isSuffix(epoch, leaf.height()) || !leaf.blockCommitment().equals(dev.cortado.protocol.types.Bytes32.ZERO)
                || leaf.handsOver()) {
            throw new BlockRejected("decide proof's leaf at height " + leaf.height().value()
                    + " is not an empty suffix leaf of epoch " + epoch);
        }
    }

    /** The leaf stays in {@code epoch} and keeps the handover rule with this node's own table source. */
    private void checkEpoch(Leaf leaf, long epoch) throws BlockRejected {
        if (epochs.epochOf(leaf.height()) != epoch) {
            throw new BlockRejected("reply crosses the end of epoch " + epoch + " at height " + leaf.height().value()
                    + " (a reply must stop at the epoch's handover leaf)");
        }
        Optional<String> broken = epochs.checkNextTable(leaf);
        if (broken.isPresent()) {
            throw new BlockRejected(broken.get());
        }
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
        boolean prefixOnly = false;
        Leaf prev = chain.last();
        try {
            if (r.proof().isEmpty()) {
                throw new BlockRejected("no decide proof");
            }
            long nextHeight = chain.nextHeight();
            long epoch = epochs.epochOf(new dev.cortado.protocol.types.Height(nextHeight));
            for (NodeMessage.DecidedBlockData d : r.blocks()) {
                Leaf leaf = d.leaf();
                if (leaf.height().value() != nextHeight || !leaf.parentCommitment().equals(prev.commitment())) {
                    throw new BlockRejected("leaf at height " + leaf.height().value() + " does not extend our chain at " + (nextHeight - 1));
                }
                if (!prefixOnly && epochs.isHandover(leaf.height()) && epochs.requiredNextTable(leaf.height()).isEmpty()) {
                    // The next table comes from this epoch's snapshot block, which this node may get only in this
                    // very reply (it missed it). The blocks below the handover are ancestors of the certified leaf
                    // and decided with it, so they are kept; the handover is asked for again once its table is known.
                    if (checked.isEmpty()) {
                        throw new BlockRejected("the table of epoch " + (epoch + 1) + " is not known here yet; the"
                                + " handover leaf at " + leaf.height().value() + " cannot be checked");
                    }
                    prefixOnly = true;
                }
                if (prefixOnly) {
                    // Still chained and in the epoch, so the decide proof below certifies the kept prefix.
                    if (epochs.epochOf(leaf.height()) != epoch) {
                        throw new BlockRejected("reply crosses the end of epoch " + epoch + " at height " + leaf.height().value());
                    }
                    prev = leaf;
                    nextHeight++;
                    continue;
                }
                checkEpoch(leaf, epoch);
                Blocks.Block b = blocks.check(d.block(), leaf);
                if (!b.header().parent().equals(prev.blockCommitment())) {
                    throw new BlockRejected("header parent mismatch at height " + nextHeight);
                }
                checked.add(b);
                prev = leaf;
                nextHeight++;
            }
            NodeMessage.DecideProof proof = r.proof().get();
            Leaf lastBlock = prev;
            for (Leaf suffixLeaf : proof.suffix()) {
                checkSuffix(prev, suffixLeaf, epoch);
                prev = suffixLeaf;
            }
            Leaf child = proof.certifiedChild();
            if (!child.parentCommitment().equals(prev.commitment()) || !VotingRules.formsTwoChain(prev, child)) {
                throw new BlockRejected("decide proof's child does not form a two-chain with the last block");
            }
            if (!proof.commitQc().leafCommitment().equals(child.commitment())) {
                throw new BlockRejected("decide proof's QC certifies another leaf");
            }
            if (proof.commitQc().epoch() != epoch) {
                throw new BlockRejected("decide proof's QC is of epoch " + proof.commitQc().epoch() + ", but heights up to "
                        + lastBlock.height().value() + " are in epoch " + epoch);
            }
            Optional<String> qcProblem = validator.checkQc(proof.commitQc());
            if (qcProblem.isPresent()) {
                throw new BlockRejected("decide proof's QC is invalid: " + qcProblem.get());
            }
        } catch (BlockRejected e) {
            LOG.info("node {}: catch-up reply from {} refused: {}", peers.me, from, e.getMessage());
            return;
        }
        // blockCommRoot can only be checked as the log grows, so check while appending.
        for (int i = 0; i < checked.size(); i++) {
            Blocks.Block b = checked.get(i);
            if (!b.header().blockCommRoot().equals(chain.commitments().rootFor(List.of()))) {
                LOG.info("node {}: catch-up block {} from {} has a wrong blockCommRoot", peers.me, b.header().height().value(), from);
                return;
            }
            // The proof decides the reply's last leaf: stored with it only, so a kept prefix has none (as any leaf
            // below the top of a decide) and this node serves the prefix only with a later proof.
            boolean last = !prefixOnly && i == checked.size() - 1;
            chain.persist(r.blocks().get(i).leaf(), new KnownBlock.Full(b, peers.me), null, last ? chain.encodeProof(r.proof().get()) : null);
        }
        LOG.info("node {}: caught up to height {} from node {}", peers.me, chain.last().height().value(), from);
        // The core cannot bridge a gap of decided blocks itself: peers answer leaf fetches only for
        // undecided leaves, so a core anchored below the caught-up tip would never attach new proposals.
        // A core that holds the caught-up tip has no gap: it decides the same leaves through its own QCs, and a restart
        // would drop the undecided leaves above the tip that the next proposals build on (with the stake of an epoch
        // spread over few members, one replica that cannot vote stalls the network).
        if (!core.started() || (core.anchorHeight() < chain.last().height().value()
                && !core.holds(chain.last().commitment()))) {
            core.restart();
        }
        request();
    }
}
