package dev.cortado.node.runtime;

import dev.cortado.node.consensus.HandoverProof;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;

/** Everything nodes say to each other, over the mesh or through a broker. Encoded by {@link NodeCodec}. */
public sealed interface NodeMessage {
    /** A leader's proposal with the block it commits to: header, namespace table and payload. */
    record ProposalMsg(Proposal proposal, BlockData block) implements NodeMessage {}

    record VoteMsg(QuorumVote vote) implements NodeMessage {}

    record TimeoutVoteMsg(TimeoutVote vote) implements NodeMessage {}

    /** Submitted transactions gossiped so whoever leads next holds them. */
    record TxBatch(List<Tx> txs) implements NodeMessage {}

    record Tx(long namespace, byte[] payload) {}

    /** Ask for the leaf with {@code commitment} and up to {@code max} of its ancestors. */
    record FetchLeaves(Bytes32 commitment, int max) implements NodeMessage {}

    record LeavesReply(List<Leaf> leaves) implements NodeMessage {}

    /** Ask for decided blocks from {@code fromHeight} on (catch-up). */
    record BlocksRequest(long fromHeight, int max) implements NodeMessage {}

    /**
     * Decided blocks, ascending and contiguous, and the proof that the last one is decided: its child
     * leaf from the next view and the QC certifying that child (the two-chain rule).
     */
    record BlocksReply(List<DecidedBlockData> blocks, Optional<DecideProof> proof) implements NodeMessage {}

    /** Ask for the block with this header commitment (an undecided ancestor whose proposal we missed). */
    record FetchBlock(Bytes32 blockCommitment) implements NodeMessage {}

    /** A block answered to {@link FetchBlock}; checked against the leaf that commits to it. */
    record BlockReply(BlockData block) implements NodeMessage {}

    /** A node's BLS signature over the light-client state of a decided height. */
    record LcSignature(long height, int signer, byte[] signature) implements NodeMessage {}

    /** Ask a peer (a DA committee member) for the full payload of a decided height. */
    record PayloadRequest(long height) implements NodeMessage {}

    /** The answer to {@link PayloadRequest}: namespace table and payload bytes, both empty when the peer holds none. */
    record PayloadReply(long height, boolean found, byte[] nsTable, byte[] payload) implements NodeMessage {}

    /** Ask a peer for its VID share of a decided height (payload retrieval from shares). */
    record ShareRequest(long height) implements NodeMessage {}

    /**
     * The answer to {@link ShareRequest}: the block's namespace table and the peer's share in the
     * {@link dev.cortado.node.da.StoredShare} encoding, both empty when the peer holds none.
     */
    record ShareReply(long height, byte[] nsTable, byte[] share) implements NodeMessage {}

    /**
     * What a node outside the DA committee gets of a proposal: the proposal, the encoded header, the
     * namespace table, its own VID share ({@link dev.cortado.node.da.StoredShare} encoding), and the block's
     * transaction hashes with their count per namespace, which the header's payloadRoot binds: enough to
     * check exactly-once, to build on the block and to decide it without the payload (issue 9, fault 10). The
     * block's bundle records (its reserved namespace's transactions, whose hashes are among {@code txHashes}) come in
     * full, so the node judges the same bundles as the committee.
     *
     * <p>A recipient that holds no share in the block's epoch (issue 14: no stake in its table) is sent
     * {@link #NO_SHARE}, an empty share: no {@code StoredShare} encoding is empty, so it cannot be mistaken for one.
     */
    record ShareProposalMsg(Proposal proposal, byte[] header, byte[] nsTable, byte[] share, List<Integer> txCounts,
            List<Bytes32> txHashes, List<byte[]> bundleRecords) implements NodeMessage {
        /** The share of a recipient that holds none in the block's epoch. */
        public static final byte[] NO_SHARE = new byte[0];

        public ShareProposalMsg {
            txCounts = List.copyOf(txCounts);
            txHashes = List.copyOf(txHashes);
            bundleRecords = List.copyOf(bundleRecords);
        }

        /** Whether a share came at all ({@link #NO_SHARE}: the sender says the recipient holds none). */
        public boolean hasShare() {
            return share.length > 0;
        }
    }

    /** Signed bundles ({@code BundleCodec} form) a node admitted, forwarded so any leader can include them. */
    record BundleGossip(List<byte[]> bundles) implements NodeMessage {
        public BundleGossip {
            bundles = List.copyOf(bundles);
        }
    }

    /** A DA committee member's vote ({@link dev.cortado.node.da.DaVote} encoding), sent to the view's leader. */
    record DaVoteMsg(byte[] vote) implements NodeMessage {}

    /**
     * The DA certificate of the block with header commitment {@code blockCommitment}: the signer
     * bitmap over the stake table and the aggregate signature (compressed), broadcast by the leader.
     */
    record DaCertMsg(Bytes32 blockCommitment, byte[] signers, byte[] signature) implements NodeMessage {}

    /** Proof that an epoch's handover leaf is decided, for a peer still voting in that epoch (issue 14). */
    record HandoverProofMsg(HandoverProof proof) implements NodeMessage {}

    /** Ask a peer for the proof of {@code epoch}'s handover. */
    record HandoverProofRequest(long epoch) implements NodeMessage {}

    /**
     * A proposal of a suffix leaf: proposed in an epoch above its handover leaf while that leaf is being decided,
     * it carries no block ({@code blockCommitment} zero), so nothing goes through DA.
     */
    record SuffixProposalMsg(Proposal proposal) implements NodeMessage {}

    /** A block's parts as they travel: encoded header, namespace table and payload bytes. */
    record BlockData(byte[] header, byte[] nsTable, byte[] payload) {}

    record DecidedBlockData(Leaf leaf, BlockData block) {}

    /**
     * The two-chain that decided a block: {@code certifiedChild} and the QC on it. At an epoch's handover the
     * two-chain may sit above the decided handover leaf, on top of {@code suffix}: the blockless suffix leaves
     * between them, in ascending order (empty everywhere else).
     */
    record DecideProof(List<Leaf> suffix, Leaf certifiedChild, QuorumCertificate commitQc) {
        public DecideProof {
            suffix = List.copyOf(suffix);
        }

        public DecideProof(Leaf certifiedChild, QuorumCertificate commitQc) {
            this(List.of(), certifiedChild, commitQc);
        }
    }
}
