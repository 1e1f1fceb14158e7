package dev.cortado.node.da;

import dev.cortado.node.da.vid.ReedSolomon16;
import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidCommitment;
import dev.cortado.node.da.vid.VidShare;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's share as it keeps, sends and serves it: the share with the commitment it belongs to.
 *
 * <p>Wire form (big-endian): version {@code 0x01}, shareRoot (32), uint32 shareCount, uint64
 * payloadBytes, uint32 index, uint32 dataLength, data, then the proof's siblings (32 bytes each, as
 * many as a tree of shareCount leaves has levels). Decoding derives every length from the commitment
 * fields and refuses anything else, so a peer cannot make it allocate more than one share.
 */
public record StoredShare(VidCommitment commitment, VidShare share) {
    public static final byte WIRE_VERSION = 1;
    private static final int FIXED_BYTES = 1 + 32 + 4 + 8 + 4 + 4;

    public StoredShare {
        if (commitment == null || share == null) {
            throw new IllegalArgumentException("commitment and share must not be null");
        }
    }

    public byte[] encode() {
        List<Bytes32> siblings = share.proof().siblings();
        ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + share.dataLength() + 32 * siblings.size());
        b.put(WIRE_VERSION).put(commitment.shareRoot().bytes()).putInt(commitment.shareCount())
                .putLong(commitment.payloadBytes()).putInt(share.index()).putInt(share.dataLength()).put(share.data());
        siblings.forEach(s -> b.put(s.bytes()));
        return b.array();
    }

    /** @throws IllegalArgumentException on any length, version or range error */
    public static StoredShare decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_BYTES) {
            throw new IllegalArgumentException("a stored share has at least " + FIXED_BYTES + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != WIRE_VERSION) {
            throw new IllegalArgumentException("unknown stored-share version " + version);
        }
        byte[] root = new byte[32];
        b.get(root);
        int shareCount = b.getInt();
        long payloadBytes = b.getLong();
        if (shareCount < 1 || shareCount > ReedSolomon16.MAX_SHARES || payloadBytes < 0 || payloadBytes > Vid.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("share count " + shareCount + " or payload size " + payloadBytes + " out of range");
        }
        VidCommitment commitment = new VidCommitment(new Bytes32(root), shareCount, payloadBytes);
        int index = b.getInt();
        int dataLength = b.getInt();
        int expectedData = Vid.shareBytes(payloadBytes, Vid.dataShareCount(shareCount));
        if (dataLength != expectedData) {
            throw new IllegalArgumentException("share data must have " + expectedData + " bytes, header says " + dataLength);
        }
        int depth = MerkleTree.depth(shareCount);
        long expectedTotal = (long) FIXED_BYTES + dataLength + 32L * depth;
        if (bytes.length != expectedTotal) {
            throw new IllegalArgumentException("stored share must have " + expectedTotal + " bytes, got " + bytes.length);
        }
        if (index < 0 || index >= shareCount) {
            throw new IllegalArgumentException("share index " + index + " outside 0.." + (shareCount - 1));
        }
        byte[] data = new byte[dataLength];
        b.get(data);
        List<Bytes32> siblings = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            byte[] s = new byte[32];
            b.get(s);
            siblings.add(new Bytes32(s));
        }
        return new StoredShare(commitment, new VidShare(index, data, new MerkleProof(index, shareCount, siblings)));
    }
}
