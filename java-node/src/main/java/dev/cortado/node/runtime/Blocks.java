package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.da.StoredShare;
import dev.cortado.node.da.VidCache;
import dev.cortado.node.da.vid.VidDispersal;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.KnownTxHashes;
import dev.cortado.protocol.block.NamespaceLeaf;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Builds the leader's block (DESIGN.md decision 7) and checks blocks received from others: the
 * header must hash to the leaf's block commitment and the payload must reproduce the header's
 * namespace-table commitment, size, {@code payloadRoot} and VID root.
 */
final class Blocks {
    /**
     * A block whose parts were built or checked, with its transactions' hashes; {@code slots} are the share holders of
     * its epoch, over which {@code dispersal} was encoded.
     */
    record Block(BlockHeader header, BlockPayload payload, Bytes32 commitment, NodeMessage.BlockData data, List<Bytes32> txHashes,
            VidDispersal dispersal, List<BundleRecord> bundles, VidSlots.Assignment slots) {
        /** Share {@code position} with its commitment, as its holder keeps it. */
        StoredShare share(int position) {
            return new StoredShare(dispersal.commitment(), dispersal.share(position));
        }

        /** The share of universe index {@code peer} in the block's epoch; empty if it holds none there. */
        Optional<StoredShare> shareOf(int peer) {
            OptionalInt p = slots.positionOf(peer);
            return p.isPresent() ? Optional.of(share(p.getAsInt())) : Optional.empty();
        }

        /** The encoded bundle records: the transactions of the reserved namespace, in block order. */
        List<byte[]> bundleRecordBytes() {
            return payload.transactions(NamespaceId.of(BundleRecord.NAMESPACE)).stream().map(Transaction::payload).toList();
        }

        /** Transactions per namespace-table entry, in table order. */
        List<Integer> txCounts() {
            return payload.namespaces().stream().map(ns -> payload.transactions(ns).size()).toList();
        }
    }

    /**
     * Most transactions a block may carry: a share proposal carries their hashes (32 bytes each) next to a share
     * of at most half the block, and all of it must fit the frame that fits one full block.
     */
    static int maxTransactions(int maxBlockBytes) {
        return Math.max(1, maxBlockBytes / 64);
    }

    private final long chainId;
    private final VidSlots slots;
    private final VidCache vids = new VidCache();
    private final int me;
    private final KnownTxHashes known;

    /** One table: every one of {@code shareCount} peers holds the share at its index. @param me this node's index */
    Blocks(long chainId, int shareCount, int me) {
        this(chainId, VidSlots.single(shareCount), me, KnownTxHashes.NONE);
    }

    Blocks(long chainId, int shareCount, int me, KnownTxHashes known) {
        this(chainId, VidSlots.single(shareCount), me, known);
    }

    /**
     * @param slots the share holders of each block's epoch: a block is encoded for its epoch's share count
     * @param me this node's universe index (its share, if it holds one, is at its position in the block's epoch)
     * @param known hashes of transactions this node holds (its mempool), so a checked block's transactions that
     *     this node already hashed on submission or gossip are confirmed by comparing bytes, not hashed again
     */
    Blocks(long chainId, VidSlots slots, int me, KnownTxHashes known) {
        this.chainId = chainId;
        this.slots = slots;
        this.me = me;
        this.known = known;
    }

    /** The share holders of the block at {@code height}; empty while its epoch's table is unknown here. */
    Optional<VidSlots.Assignment> slots(long height) {
        return slots.forHeight(new Height(height));
    }

    /** The VID of the block at {@code height}'s epoch, or why there is none yet. */
    private VidSlots.Assignment assignment(Height height) throws BlockRejected {
        Optional<VidSlots.Assignment> a = slots.forHeight(height);
        if (a.isEmpty()) {
            throw new BlockRejected("the table of epoch " + slots.epochOf(height) + " (height " + height.value()
                    + ") is not known here yet: its share holders cannot be told");
        }
        return a.get();
    }

    Block build(long height, long view, Bytes32 parentHeaderCommitment, long timestampMs, Bytes32 blockCommRoot,
            List<PendingTx> txs) {
        return build(height, view, parentHeaderCommitment, timestampMs, 0L, blockCommRoot, txs);
    }

    /**
     * @param l1Head the L1 block the leader read the marketplace at (0 without an L1 follower)
     * @throws IllegalStateException if the table of the height's epoch is not known (the caller asks {@link #slots} first)
     */
    Block build(long height, long view, Bytes32 parentHeaderCommitment, long timestampMs, long l1Head, Bytes32 blockCommRoot,
            List<PendingTx> txs) {
        VidSlots.Assignment a = slots(height).orElseThrow(() -> new IllegalStateException("no block at height " + height
                + ": the table of epoch " + slots.epochOf(new Height(height)) + " is not known here"));
        // The payload groups transactions by namespace; the hashes must follow that order, not the
        // mempool's, because the decided index pairs the i-th hash with the i-th transaction.
        List<PendingTx> ordered = payloadOrder(txs);
        List<Transaction> transactions = new ArrayList<>(ordered.size());
        for (PendingTx tx : ordered) {
            transactions.add(Transaction.withKnownHash(NamespaceId.of(tx.namespace()), tx.payload(), tx.hash()));
        }
        BlockPayload payload = BlockPayload.build(transactions);
        // One copy of the payload bytes serves the encoding and the message (each bytes() call copies the block).
        byte[] bytes = payload.bytes();
        VidDispersal dispersal = vids.forShares(a.shareCount()).disperse(bytes);
        Bytes32 vidRoot = dispersal.commitment().vidRoot();
        BlockHeader header = new BlockHeader(new Height(height), new View(view), parentHeaderCommitment, timestampMs, l1Head,
                payload.payloadRoot(), vidRoot, payload.nsTableComm(), payload.byteLength(), blockCommRoot);
        NodeMessage.BlockData data = new NodeMessage.BlockData(header.encode(), payload.nsTableBytes(), bytes);
        return new Block(header, payload, header.commitment(chainId), data, ordered.stream().map(PendingTx::hash).toList(),
                dispersal, bundleRecords(payload), a);
    }

    /** {@code txs} grouped by namespace in ascending id, submission order kept within each: the payload's order. */
    static List<PendingTx> payloadOrder(List<PendingTx> txs) {
        Map<NamespaceId, List<PendingTx>> byNs = new TreeMap<>();
        for (PendingTx tx : txs) {
            byNs.computeIfAbsent(NamespaceId.of(tx.namespace()), x -> new ArrayList<>()).add(tx);
        }
        List<PendingTx> out = new ArrayList<>(txs.size());
        byNs.values().forEach(out::addAll);
        return out;
    }

    /**
     * Checks a share proposal's parts against {@code leaf} without the payload: the header hashes to the leaf's
     * block commitment, the namespace table to its nsTableComm, and the per-namespace transaction hashes with the
     * table's body sizes rebuild its payloadRoot, so the hashes are exactly the block's transactions, in order. The
     * proposal carries a share exactly when this node holds one in the block's epoch; the share itself (count,
     * position, proof) is checked by the DA gate's {@code ShareValidator}.
     */
    KnownBlock.HeaderOnly checkHeaderOnly(NodeMessage.ShareProposalMsg m, Leaf leaf) throws BlockRejected {
        BlockHeader header;
        NamespaceTable table;
        Optional<StoredShare> share;
        try {
            header = BlockHeader.decode(m.header());
            table = NamespaceTable.decode(m.nsTable());
            share = m.hasShare() ? Optional.of(StoredShare.decode(m.share())) : Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new BlockRejected("malformed header, namespace table or share: " + e.getMessage());
        }
        Bytes32 commitment = header.commitment(chainId);
        if (!commitment.equals(leaf.blockCommitment()) || header.height().value() != leaf.height().value()
                || header.view().value() != leaf.view().value()) {
            throw new BlockRejected("header " + commitment + " at height/view " + header.height().value() + "/"
                    + header.view().value() + " does not match the proposed leaf");
        }
        Optional<String> presence = assignment(leaf.height()).presenceProblem(me, share.isPresent());
        if (presence.isPresent()) {
            throw new BlockRejected("share proposal carries " + presence.get());
        }
        if (!table.commitment().equals(header.nsTableComm()) || table.payloadBytes() != header.payloadBytes()) {
            throw new BlockRejected("namespace table does not match the header's nsTableComm or payloadBytes");
        }
        if (m.txCounts().size() != table.size()) {
            throw new BlockRejected(m.txCounts().size() + " transaction counts for " + table.size() + " namespaces");
        }
        List<Bytes32> leaves = new ArrayList<>(table.size());
        int next = 0;
        for (int i = 0; i < table.size(); i++) {
            int count = m.txCounts().get(i);
            if (count < 0 || count > m.txHashes().size() - next) {
                throw new BlockRejected("namespace " + i + " claims " + count + " transactions, " + (m.txHashes().size() - next) + " hashes left");
            }
            List<Bytes32> hashes = m.txHashes().subList(next, next + count);
            next += count;
            long bodyBytes = table.endOffset(i) - table.startOffset(i);
            leaves.add(new NamespaceLeaf(table.namespace(i), MerkleTree.root(hashes), count, bodyBytes).hash());
        }
        if (next != m.txHashes().size()) {
            throw new BlockRejected((m.txHashes().size() - next) + " transaction hashes beyond the namespaces' counts");
        }
        Bytes32 root = MerkleTree.root(leaves);
        if (!root.equals(header.payloadRoot())) {
            throw new BlockRejected("transaction hashes give payloadRoot " + root + ", the header has " + header.payloadRoot());
        }
        // The bundle records come in full (a node outside the committee has no payload); they must be exactly the
        // reserved namespace's transactions the header bound, so DA members and this node judge the same bundles.
        List<Bytes32> reserved = List.of();
        int at = 0;
        for (int i = 0; i < table.size(); i++) {
            if (table.namespace(i).value() == BundleRecord.NAMESPACE) {
                reserved = m.txHashes().subList(at, at + m.txCounts().get(i));
            }
            at += m.txCounts().get(i);
        }
        List<BundleRecord> records = checkedRecords(m.bundleRecords());
        for (int i = 0; i < Math.max(reserved.size(), m.bundleRecords().size()); i++) {
            if (i >= reserved.size() || i >= m.bundleRecords().size()
                    || !BundleRecord.txHashOf(m.bundleRecords().get(i)).equals(reserved.get(i))) {
                throw new BlockRejected("bundle record " + i + " of " + m.bundleRecords().size()
                        + " is not the block's reserved-namespace transaction (the header binds " + reserved.size() + ")");
            }
        }
        return new KnownBlock.HeaderOnly(header, commitment, m.nsTable(), m.txCounts(), m.txHashes(), share, records);
    }

    /** Every transaction of the reserved namespace must be a well-formed bundle record; at most a few per block. */
    static List<BundleRecord> checkedRecords(List<byte[]> encoded) throws BlockRejected {
        if (encoded.size() > BlockMarketRules.MAX_BUNDLES_PER_BLOCK) {
            throw new BlockRejected(encoded.size() + " bundle records exceed " + BlockMarketRules.MAX_BUNDLES_PER_BLOCK);
        }
        List<BundleRecord> out = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            try {
                out.add(BundleRecord.decode(encoded.get(i)));
            } catch (IllegalArgumentException e) {
                throw new BlockRejected("bundle record " + i + " is malformed: " + e.getMessage());
            }
        }
        return out;
    }

    private static List<BundleRecord> bundleRecords(BlockPayload payload) {
        return payload.transactions(NamespaceId.of(BundleRecord.NAMESPACE)).stream()
                .map(tx -> BundleRecord.decode(tx.payload())).toList();
    }

    /** Checks {@code data} against {@code leaf}; parent linkage and blockCommRoot are the caller's checks. */
    Block check(NodeMessage.BlockData data, Leaf leaf) throws BlockRejected {
        BlockHeader header;
        BlockPayload payload;
        try {
            header = BlockHeader.decode(data.header());
            payload = BlockPayload.parse(NamespaceTable.decode(data.nsTable()), data.payload(), known);
        } catch (IllegalArgumentException e) {
            throw new BlockRejected("malformed block: " + e.getMessage());
        }
        Bytes32 commitment = header.commitment(chainId);
        if (!commitment.equals(leaf.blockCommitment())) {
            throw new BlockRejected("header commitment " + commitment + " is not the leaf's " + leaf.blockCommitment());
        }
        if (header.height().value() != leaf.height().value() || header.view().value() != leaf.view().value()) {
            throw new BlockRejected("header height/view " + header.height().value() + "/" + header.view().value()
                    + " differ from the leaf's " + leaf.height().value() + "/" + leaf.view().value());
        }
        if (!payload.nsTableComm().equals(header.nsTableComm()) || payload.byteLength() != header.payloadBytes()
                || !payload.payloadRoot().equals(header.payloadRoot())) {
            throw new BlockRejected("payload does not match the header's nsTableComm, payloadBytes or payloadRoot");
        }
        // One encoding, over the share holders of the block's epoch, serves both the VID root check and this node's
        // own share.
        VidSlots.Assignment a = assignment(header.height());
        VidDispersal dispersal = vids.forShares(a.shareCount()).disperse(data.payload());
        Bytes32 vidRoot = dispersal.commitment().vidRoot();
        if (!vidRoot.equals(header.vidRoot())) {
            throw new BlockRejected("vidRoot " + header.vidRoot() + " does not match the payload's " + vidRoot + " (encoded for the "
                    + a.shareCount() + " share holders of epoch " + a.epoch() + ")");
        }
        List<Bytes32> hashes = payload.allTransactions().stream().map(Transaction::hash).toList();
        return new Block(header, payload, commitment, data, hashes, dispersal, checkedRecords(
                payload.transactions(NamespaceId.of(BundleRecord.NAMESPACE)).stream().map(Transaction::payload).toList()), a);
    }
}
