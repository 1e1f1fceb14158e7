package dev.cortado.node.da.vid;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;

/** Share {@code index} of a dispersal, with its Merkle proof against {@link VidCommitment#shareRoot()}. */
public record VidShare(int index, byte[] data, MerkleProof proof) {
    public static final Bytes32 TAG_VID_SHARE = DomainTags.tag("vid-share");

    public VidShare {
        if (data == null || proof == null) {
            throw new IllegalArgumentException("share data and proof must not be null");
        }
        if (index < 0 || proof.index() != index) {
            throw new IllegalArgumentException("share index " + index + " does not match its proof's index " + proof.index());
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Length without a copy, for bounds checks. */
    public int dataLength() {
        return data.length;
    }

    byte[] dataUnsafe() {
        return data;
    }

    public Bytes32 leaf() {
        return leaf(index, data);
    }

    /**
     * {@code keccak256(abi.encode(TAG_vid-share, uint256 index, keccak256(data)))}: the index is
     * hashed in so that a share cannot be presented as another share of the same dispersal.
     */
    public static Bytes32 leaf(int index, byte[] data) {
        return Abi.encoder().bytes32(TAG_VID_SHARE).uint256(index).bytes32(Keccak.hash(data)).hash();
    }
}
