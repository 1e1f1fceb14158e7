package dev.cortado.node.da.vid;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.types.Bytes32;

/**
 * What a dispersal commits to: the Merkle root over the share leaves, the share count and the payload
 * length. The header's {@code vidRoot} is {@link #vidRoot()}, so a replica that receives its share
 * with this record can check both the record against the header and its share against the record.
 * The length is part of the commitment so that a 0-byte payload (no symbols at all) still has a
 * unique, checkable commitment.
 */
public record VidCommitment(Bytes32 shareRoot, int shareCount, long payloadBytes) {
    public static final Bytes32 TAG_VID = DomainTags.tag("vid");

    public VidCommitment {
        if (shareRoot == null) {
            throw new IllegalArgumentException("shareRoot must not be null");
        }
        if (shareCount < 1 || shareCount > ReedSolomon16.MAX_SHARES) {
            throw new IllegalArgumentException("shareCount must be in 1.." + ReedSolomon16.MAX_SHARES + ", got " + shareCount);
        }
        if (payloadBytes < 0 || payloadBytes > Vid.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payloadBytes must be in 0.." + Vid.MAX_PAYLOAD_BYTES + ", got " + payloadBytes);
        }
    }

    /** {@code keccak256(abi.encode(TAG_vid, shareRoot, uint256 shareCount, uint256 payloadBytes))}. */
    public Bytes32 vidRoot() {
        return Abi.encoder().bytes32(TAG_VID).bytes32(shareRoot).uint256(shareCount).uint256(payloadBytes).hash();
    }
}
