package dev.cortado.node.da;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;

/**
 * A DA committee member's check of a proposal: given the full payload (namespace table and bytes) and
 * the proposed header, it recomputes {@code nsTableComm}, {@code payloadBytes}, {@code payloadRoot}
 * and the VID root (n = the share count of the block's epoch, which every node uses) and signs the DA vote only
 * when all of them match. Pure: no I/O, no clock.
 */
public final class DaCommitteeMember {
    private final long chainId;
    private final BlsKeyPair key;
    private final int index;
    private final Vid vid;

    public DaCommitteeMember(long chainId, StakeTable table, BlsKeyPair key) {
        this.chainId = chainId;
        this.key = key;
        this.index = table.indexOf(key.publicKey()).orElseThrow(() ->
                new IllegalArgumentException("key " + key.publicKey() + " is not in the stake table"));
        if (!table.entry(index).daMember()) {
            throw new IllegalArgumentException("stake-table entry " + index + " is not on the DA committee");
        }
        this.vid = new Vid(table.size());
    }

    /**
     * A peer that signs DA votes as universe index {@code index}; which epochs' committees it is on is its caller's to
     * check ({@link DaCommittee}). {@code shareCount} is used only by {@link #review(BlockHeader, byte[], byte[])},
     * which encodes the payload itself and so must be given the share count of the block's epoch; the runtime passes
     * the VID root its block check computed with that count ({@link #review(BlockHeader, BlockPayload, Bytes32)}).
     */
    public DaCommitteeMember(long chainId, int index, BlsKeyPair key, int shareCount) {
        if (index < 0) {
            throw new IllegalArgumentException("negative signer index " + index);
        }
        this.chainId = chainId;
        this.key = key;
        this.index = index;
        this.vid = new Vid(shareCount);
    }

    public int index() {
        return index;
    }

    /** Reviews a payload received as bytes: parses it and encodes it with VID, then {@link #review(BlockHeader, BlockPayload, Bytes32)}. */
    public DaReview review(BlockHeader header, byte[] nsTable, byte[] payloadBytes) {
        BlockPayload payload;
        try {
            payload = BlockPayload.parse(nsTable, payloadBytes);
        } catch (IllegalArgumentException e) {
            return new DaReview.Rejected("malformed payload: " + e.getMessage());
        }
        return review(header, payload, vid.commit(payloadBytes).vidRoot());
    }

    /**
     * Reviews a payload this node already parsed and encoded with VID (the runtime's block check does both), so
     * a member never hashes the transactions or runs the VID encode a second time for one block.
     *
     * @param vidRoot the VID root this node computed from {@code payload}'s bytes with n = the share count of the
     *     block's epoch (its share holders)
     */
    public DaReview review(BlockHeader header, BlockPayload payload, Bytes32 vidRoot) {
        if (!payload.nsTableComm().equals(header.nsTableComm())) {
            return new DaReview.Rejected("nsTableComm mismatch: header " + header.nsTableComm() + ", payload "
                    + payload.nsTableComm());
        }
        if (payload.byteLength() != header.payloadBytes()) {
            return new DaReview.Rejected("payloadBytes mismatch: header " + header.payloadBytes() + ", payload "
                    + payload.byteLength());
        }
        if (!payload.payloadRoot().equals(header.payloadRoot())) {
            return new DaReview.Rejected("payloadRoot mismatch: header " + header.payloadRoot() + ", payload "
                    + payload.payloadRoot());
        }
        if (!vidRoot.equals(header.vidRoot())) {
            return new DaReview.Rejected("vidRoot mismatch: header " + header.vidRoot() + ", payload " + vidRoot);
        }
        DaVote vote = new DaVote(header.view(), header.commitment(chainId), header.payloadRoot(), header.vidRoot(), index,
                Bls.sign(key.secretKey(), DaCertificateCollector.digest(chainId, header)));
        return new DaReview.Approved(vote, payload);
    }
}
