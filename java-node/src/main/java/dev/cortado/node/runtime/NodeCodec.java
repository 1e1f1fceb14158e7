package dev.cortado.node.runtime;

import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.HandoverProof;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.Signature;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.net.WireWriter;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Binary encoding of {@link NodeMessage}: {@code u8 kind ‖ body}, big-endian integers, u32-prefixed
 * byte strings. Decoding is bounded by {@link Limits} and rejects trailing bytes; every failure is
 * a {@link WireFormatException}, and record constructors' own checks are mapped to it too.
 *
 * <p>Stake-table epochs (issue 14): votes, timeout votes, QCs, TCs and proposals end in their {@code u64 epoch};
 * a leaf ends in its {@code bytes32 nextStakeTable} (zero off an epoch's handover leaf).
 */
public final class NodeCodec {
    static final int PROPOSAL = 1;
    static final int VOTE = 2;
    static final int TIMEOUT_VOTE = 3;
    static final int TX_BATCH = 4;
    static final int FETCH_LEAVES = 5;
    static final int LEAVES = 6;
    static final int BLOCKS_REQUEST = 7;
    static final int BLOCKS_REPLY = 8;
    static final int LC_SIGNATURE = 9;
    static final int FETCH_BLOCK = 10;
    static final int BLOCK_REPLY = 11;
    static final int PAYLOAD_REQUEST = 12;
    static final int PAYLOAD_REPLY = 13;
    static final int SHARE_REQUEST = 14;
    static final int SHARE_REPLY = 15;
    static final int SHARE_PROPOSAL = 16;
    static final int DA_VOTE = 17;
    static final int DA_CERT = 18;
    static final int BUNDLES = 19;
    static final int HANDOVER_PROOF = 20;
    static final int HANDOVER_PROOF_REQUEST = 21;
    static final int SUFFIX_PROPOSAL = 22;
    /**
     * Leaves per handover proof: the handover leaf, the suffix leaves proposed while it was being decided, and
     * the two-chain's child. A suffix this long means the epoch stalled for a thousand views; the core bounds it
     * again by its own pending-leaf limit.
     */
    static final int MAX_HANDOVER_LEAVES = 1024;
    /** Bundles per gossip message: the sender batches what it admitted in a few milliseconds. */
    static final int MAX_GOSSIP_BUNDLES = 64;
    /** A stored share is one k-th of the payload plus its commitment and Merkle proof; this covers the extra. */
    static final int SHARE_OVERHEAD_BYTES = 64 * 1024;

    /** Upper bounds used while decoding. */
    public record Limits(int maxBlockBytes, int maxStakeTable, int maxListItems) {
        public static Limits forBlockBytes(int maxBlockBytes) {
            return new Limits(maxBlockBytes, 1 << 16, 100_000);
        }
    }

    private final Limits limits;

    public NodeCodec(Limits limits) {
        this.limits = limits;
    }

    private NodeMessage.ShareProposalMsg shareProposal(WireReader r) {
        Proposal p = proposal(r);
        byte[] header = r.bytes("header", 4096);
        byte[] nsTable = r.bytes("ns table", limits.maxBlockBytes());
        byte[] share = r.bytes("share", limits.maxBlockBytes() + SHARE_OVERHEAD_BYTES);
        int namespaces = r.count("namespace count", dev.cortado.protocol.block.NamespaceTable.MAX_ENTRIES);
        List<Integer> counts = new ArrayList<>(namespaces);
        for (int i = 0; i < namespaces; i++) {
            counts.add(r.count("namespace tx count", Blocks.maxTransactions(limits.maxBlockBytes())));
        }
        int n = r.count("tx hash count", Blocks.maxTransactions(limits.maxBlockBytes()));
        List<Bytes32> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hashes.add(bytes32(r));
        }
        int records = r.count("bundle record count", dev.cortado.node.market.BlockMarketRules.MAX_BUNDLES_PER_BLOCK);
        List<byte[]> bundleRecords = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            bundleRecords.add(r.bytes("bundle record", dev.cortado.protocol.market.BundleRecord.MAX_BYTES));
        }
        return new NodeMessage.ShareProposalMsg(p, header, nsTable, share, counts, hashes, bundleRecords);
    }

    public byte[] encode(NodeMessage m) {
        WireWriter w = new WireWriter(256);
        switch (m) {
            case NodeMessage.ProposalMsg p -> {
                w.u8(PROPOSAL);
                proposal(w, p.proposal());
                block(w, p.block());
            }
            case NodeMessage.VoteMsg v -> {
                w.u8(VOTE).i64(v.vote().view().value()).fixed(v.vote().leafCommitment().bytes()).i32(v.vote().voter());
                signature(w, v.vote().signature());
                w.i64(v.vote().epoch());
            }
            case NodeMessage.TimeoutVoteMsg t -> {
                w.u8(TIMEOUT_VOTE).i64(t.vote().view().value());
                qc(w, t.vote().highQc());
                w.bool(t.vote().lastTc().isPresent());
                t.vote().lastTc().ifPresent(tc -> tc(w, tc));
                w.i32(t.vote().voter());
                signature(w, t.vote().signature());
                w.i64(t.vote().epoch());
            }
            case NodeMessage.TxBatch b -> {
                w.u8(TX_BATCH).i32(b.txs().size());
                for (NodeMessage.Tx tx : b.txs()) {
                    w.i64(tx.namespace()).bytes(tx.payload());
                }
            }
            case NodeMessage.FetchLeaves f -> w.u8(FETCH_LEAVES).fixed(f.commitment().bytes()).i32(f.max());
            case NodeMessage.LeavesReply l -> {
                w.u8(LEAVES).i32(l.leaves().size());
                l.leaves().forEach(leaf -> leaf(w, leaf));
            }
            case NodeMessage.BlocksRequest r -> w.u8(BLOCKS_REQUEST).i64(r.fromHeight()).i32(r.max());
            case NodeMessage.FetchBlock f -> w.u8(FETCH_BLOCK).fixed(f.blockCommitment().bytes());
            case NodeMessage.BlockReply b -> {
                w.u8(BLOCK_REPLY);
                block(w, b.block());
            }
            case NodeMessage.PayloadRequest p -> w.u8(PAYLOAD_REQUEST).i64(p.height());
            case NodeMessage.PayloadReply p -> w.u8(PAYLOAD_REPLY).i64(p.height()).bool(p.found()).bytes(p.nsTable()).bytes(p.payload());
            case NodeMessage.ShareRequest p -> w.u8(SHARE_REQUEST).i64(p.height());
            case NodeMessage.ShareReply p -> w.u8(SHARE_REPLY).i64(p.height()).bytes(p.nsTable()).bytes(p.share());
            case NodeMessage.ShareProposalMsg p -> {
                w.u8(SHARE_PROPOSAL);
                proposal(w, p.proposal());
                w.bytes(p.header()).bytes(p.nsTable()).bytes(p.share());
                w.i32(p.txCounts().size());
                p.txCounts().forEach(w::i32);
                w.i32(p.txHashes().size());
                p.txHashes().forEach(h -> w.fixed(h.bytes()));
                w.i32(p.bundleRecords().size());
                p.bundleRecords().forEach(w::bytes);
            }
            case NodeMessage.BundleGossip g -> {
                w.u8(BUNDLES).i32(g.bundles().size());
                g.bundles().forEach(w::bytes);
            }
            case NodeMessage.DaVoteMsg v -> w.u8(DA_VOTE).bytes(v.vote());
            case NodeMessage.DaCertMsg c -> w.u8(DA_CERT).fixed(c.blockCommitment().bytes()).bytes(c.signers()).bytes(c.signature());
            case NodeMessage.HandoverProofMsg h -> {
                w.u8(HANDOVER_PROOF).i64(h.proof().epoch()).bool(h.proof().handoverQc().isPresent());
                h.proof().handoverQc().ifPresent(qc -> qc(w, qc));
                qc(w, h.proof().commitQc());
                w.i32(h.proof().leaves().size());
                h.proof().leaves().forEach(leaf -> leaf(w, leaf));
            }
            case NodeMessage.HandoverProofRequest q -> w.u8(HANDOVER_PROOF_REQUEST).i64(q.epoch());
            case NodeMessage.SuffixProposalMsg p -> {
                w.u8(SUFFIX_PROPOSAL);
                proposal(w, p.proposal());
            }
            case NodeMessage.LcSignature s -> w.u8(LC_SIGNATURE).i64(s.height()).i32(s.signer()).bytes(s.signature());
            case NodeMessage.BlocksReply r -> {
                w.u8(BLOCKS_REPLY).i32(r.blocks().size());
                for (NodeMessage.DecidedBlockData d : r.blocks()) {
                    leaf(w, d.leaf());
                    block(w, d.block());
                }
                w.bool(r.proof().isPresent());
                r.proof().ifPresent(p -> decideProof(w, p));
            }
        }
        return w.toByteArray();
    }

    public NodeMessage decode(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        try {
            NodeMessage m = switch (r.u8("kind")) {
                case PROPOSAL -> new NodeMessage.ProposalMsg(proposal(r), block(r));
                case VOTE -> new NodeMessage.VoteMsg(new QuorumVote(view(r), bytes32(r), index(r, "voter"), signature(r),
                        epoch(r)));
                case TIMEOUT_VOTE -> {
                    View view = view(r);
                    QuorumCertificate high = qc(r);
                    Optional<TimeoutCertificate> last = r.bool("has tc") ? Optional.of(tc(r)) : Optional.empty();
                    yield new NodeMessage.TimeoutVoteMsg(new TimeoutVote(view, high, last, index(r, "voter"), signature(r),
                            epoch(r)));
                }
                case TX_BATCH -> {
                    int n = r.count("tx count", limits.maxListItems());
                    List<NodeMessage.Tx> txs = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        txs.add(new NodeMessage.Tx(r.u63("namespace"), r.bytes("tx", limits.maxBlockBytes())));
                    }
                    yield new NodeMessage.TxBatch(txs);
                }
                case FETCH_LEAVES -> new NodeMessage.FetchLeaves(bytes32(r), r.count("max leaves", limits.maxListItems()));
                case LEAVES -> {
                    int n = r.count("leaf count", limits.maxListItems());
                    List<Leaf> leaves = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        leaves.add(leaf(r));
                    }
                    yield new NodeMessage.LeavesReply(leaves);
                }
                case BLOCKS_REQUEST -> new NodeMessage.BlocksRequest(r.u63("from height"), r.count("max blocks", limits.maxListItems()));
                case BLOCKS_REPLY -> {
                    int n = r.count("block count", limits.maxListItems());
                    List<NodeMessage.DecidedBlockData> blocks = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        blocks.add(new NodeMessage.DecidedBlockData(leaf(r), block(r)));
                    }
                    Optional<NodeMessage.DecideProof> proof = r.bool("has proof")
                            ? Optional.of(decideProof(r)) : Optional.empty();
                    yield new NodeMessage.BlocksReply(blocks, proof);
                }
                case FETCH_BLOCK -> new NodeMessage.FetchBlock(bytes32(r));
                case BLOCK_REPLY -> new NodeMessage.BlockReply(block(r));
                case PAYLOAD_REQUEST -> new NodeMessage.PayloadRequest(r.u63("height"));
                case PAYLOAD_REPLY -> new NodeMessage.PayloadReply(r.u63("height"), r.bool("found"),
                        r.bytes("ns table", limits.maxBlockBytes()), r.bytes("payload", limits.maxBlockBytes()));
                case SHARE_REQUEST -> new NodeMessage.ShareRequest(r.u63("height"));
                case SHARE_REPLY -> new NodeMessage.ShareReply(r.u63("height"), r.bytes("ns table", limits.maxBlockBytes()),
                        r.bytes("share", limits.maxBlockBytes() + SHARE_OVERHEAD_BYTES));
                case SHARE_PROPOSAL -> shareProposal(r);
                case BUNDLES -> {
                    int n = r.count("bundle count", MAX_GOSSIP_BUNDLES);
                    List<byte[]> bundles = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        bundles.add(r.bytes("bundle", limits.maxBlockBytes()));
                    }
                    yield new NodeMessage.BundleGossip(bundles);
                }
                case DA_VOTE -> new NodeMessage.DaVoteMsg(r.bytes("da vote", dev.cortado.node.da.DaVote.WIRE_BYTES));
                case DA_CERT -> new NodeMessage.DaCertMsg(bytes32(r), r.bytes("signers", (limits.maxStakeTable() + 7) / 8),
                        r.bytes("signature", Signature.MAX_BYTES));
                case HANDOVER_PROOF -> new NodeMessage.HandoverProofMsg(handoverProof(r));
                case HANDOVER_PROOF_REQUEST -> new NodeMessage.HandoverProofRequest(epoch(r));
                case SUFFIX_PROPOSAL -> new NodeMessage.SuffixProposalMsg(proposal(r));
                case LC_SIGNATURE -> new NodeMessage.LcSignature(r.u63("height"), index(r, "signer"), r.bytes("signature", Signature.MAX_BYTES));
                default -> throw new WireFormatException("unknown node message kind");
            };
            r.finish("node message");
            return m;
        } catch (IllegalArgumentException | NullPointerException e) {
            // A record constructor refused the decoded values.
            throw new WireFormatException("invalid node message: " + e.getMessage());
        }
    }

    // ---- parts ----

    private void proposal(WireWriter w, Proposal p) {
        leaf(w, p.leaf());
        qc(w, p.justifyQc());
        w.bool(p.viewChange().isPresent());
        p.viewChange().ifPresent(tc -> tc(w, tc));
        w.i32(p.proposer());
        signature(w, p.signature());
        w.i64(p.epoch());
    }

    private Proposal proposal(WireReader r) {
        Leaf leaf = leaf(r);
        QuorumCertificate justify = qc(r);
        Optional<TimeoutCertificate> tc = r.bool("has tc") ? Optional.of(tc(r)) : Optional.empty();
        return new Proposal(leaf, justify, tc, index(r, "proposer"), signature(r), epoch(r));
    }

    private HandoverProof handoverProof(WireReader r) {
        long epoch = epoch(r);
        Optional<QuorumCertificate> handoverQc = r.bool("has handover qc") ? Optional.of(qc(r)) : Optional.empty();
        QuorumCertificate commitQc = qc(r);
        int n = r.count("handover proof leaf count", Math.min(MAX_HANDOVER_LEAVES, limits.maxListItems()));
        List<Leaf> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            leaves.add(leaf(r));
        }
        return new HandoverProof(epoch, handoverQc, commitQc, leaves);
    }

    static void decideProof(WireWriter w, NodeMessage.DecideProof p) {
        w.i32(p.suffix().size());
        p.suffix().forEach(leaf -> leaf(w, leaf));
        leaf(w, p.certifiedChild());
        qc(w, p.commitQc());
    }

    NodeMessage.DecideProof decideProof(WireReader r) {
        int n = r.count("decide proof suffix leaf count", Math.min(MAX_HANDOVER_LEAVES, limits.maxListItems()));
        List<Leaf> suffix = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            suffix.add(leaf(r));
        }
        return new NodeMessage.DecideProof(suffix, leaf(r), qc(r));
    }

    private static void block(WireWriter w, NodeMessage.BlockData b) {
        w.bytes(b.header()).bytes(b.nsTable()).bytes(b.payload());
    }

    private NodeMessage.BlockData block(WireReader r) {
        return new NodeMessage.BlockData(r.bytes("header", 4096), r.bytes("ns table", limits.maxBlockBytes()),
                r.bytes("payload", limits.maxBlockBytes()));
    }

    static void leaf(WireWriter w, Leaf l) {
        w.i64(l.chainId()).i64(l.view().value()).i64(l.height().value()).fixed(l.parentCommitment().bytes())
                .fixed(l.blockCommitment().bytes()).i64(l.justifyView().value()).fixed(l.nextStakeTable().bytes());
    }

    static Leaf leaf(WireReader r) {
        return new Leaf(r.u63("chain id"), view(r), new Height(r.u63("height")), bytes32(r), bytes32(r), view(r),
                bytes32(r));
    }

    static void qc(WireWriter w, QuorumCertificate qc) {
        w.i64(qc.view().value()).fixed(qc.leafCommitment().bytes());
        aggregate(w, qc.signature());
        w.i64(qc.epoch());
    }

    QuorumCertificate qc(WireReader r) {
        return new QuorumCertificate(view(r), bytes32(r), aggregate(r), epoch(r));
    }

    private static void tc(WireWriter w, TimeoutCertificate tc) {
        w.i64(tc.view().value());
        qc(w, tc.highQc());
        // One aggregate per high-QC view the signers signed (Jolteon timeout votes).
        w.i32(tc.parts().size());
        for (TimeoutCertificate.Part part : tc.parts()) {
            w.i64(part.highQcView().value());
            aggregate(w, part.signature());
        }
        w.i64(tc.epoch());
    }

    private TimeoutCertificate tc(WireReader r) {
        View view = view(r);
        QuorumCertificate high = qc(r);
        int n = r.count("tc parts", limits.maxStakeTable());
        List<TimeoutCertificate.Part> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(new TimeoutCertificate.Part(view(r), aggregate(r)));
        }
        return new TimeoutCertificate(view, high, parts, epoch(r));
    }

    private static void aggregate(WireWriter w, AggregateSignature a) {
        w.bytes(a.signers().toByteArray()).bytes(a.aggregate());
    }

    private AggregateSignature aggregate(WireReader r) {
        byte[] bitmap = r.bytes("signer bitmap", (limits.maxStakeTable() + 7) / 8);
        if (bitmap.length > 0 && bitmap[bitmap.length - 1] == 0) {
            // BitSet.toByteArray never ends in a zero byte: one encoding per signer set.
            throw new WireFormatException("signer bitmap has a trailing zero byte");
        }
        return new AggregateSignature(BitSet.valueOf(bitmap), r.bytes("aggregate", Signature.MAX_BYTES));
    }

    private static void signature(WireWriter w, Signature s) {
        w.bytes(s.bytes());
    }

    private static Signature signature(WireReader r) {
        return new Signature(r.bytes("signature", Signature.MAX_BYTES));
    }

    private int index(WireReader r, String what) {
        int i = r.i32(what);
        if (i < 0 || i >= limits.maxStakeTable()) {
            throw new WireFormatException(what + " index " + i + " outside the stake table bound");
        }
        return i;
    }

    private static long epoch(WireReader r) {
        return r.u63("epoch");
    }

    private static View view(WireReader r) {
        return new View(r.u63("view"));
    }

    private static Bytes32 bytes32(WireReader r) {
        return Bytes32.of(r.fixed(32, "bytes32"));
    }
}
