package dev.cortado.node.da;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.nio.ByteBuffer;

/**
 * A committee member's signature over {@code Digests.daVoteForHeader(chainId, view, headerCommitment,
 * payloadRoot, vidRoot)}: it vouches for the payload under one header, so an equivocating leader
 * cannot get one payload certified under two parents.
 * Wire form: uint64 view, headerCommitment, payloadRoot, vidRoot, uint32 signerIndex, compressed signature (48 bytes),
 * exactly {@value #WIRE_BYTES} bytes, big-endian.
 */
public record DaVote(View view, Bytes32 headerCommitment, Bytes32 payloadRoot, Bytes32 vidRoot, int signerIndex,
        BlsSignature signature) {
    public DaVote {
        if (view == null || headerCommitment == null || payloadRoot == null || vidRoot == null || signature == null) {
            throw new IllegalArgumentException("DA vote fields must not be null");
        }
        if (signerIndex < 0) {
            throw new IllegalArgumentException("signer index must be non-negative, got " + signerIndex);
        }
    }

    public static final int WIRE_BYTES = 8 + 32 + 32 + 32 + 4 + BlsSignature.COMPRESSED_BYTES;

    public byte[] encode() {
        return ByteBuffer.allocate(WIRE_BYTES).putLong(view.value()).put(headerCommitment.bytes()).put(payloadRoot.bytes()).put(vidRoot.bytes())
                .putInt(signerIndex).put(signature.toBytes()).array();
    }

    /** @throws IllegalArgumentException on a wrong length or an invalid signature point */
    public static DaVote decode(byte[] bytes) {
        if (bytes == null || bytes.length != WIRE_BYTES) {
            throw new IllegalArgumentException("a DA vote has " + WIRE_BYTES + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long view = b.getLong();
        byte[] header = new byte[32];
        b.get(header);
        byte[] payloadRoot = new byte[32];
        b.get(payloadRoot);
        byte[] vidRoot = new byte[32];
        b.get(vidRoot);
        int signer = b.getInt();
        byte[] sig = new byte[BlsSignature.COMPRESSED_BYTES];
        b.get(sig);
        return new DaVote(new View(view), new Bytes32(header), new Bytes32(payloadRoot), new Bytes32(vidRoot), signer, BlsSignature.fromBytes(sig));
    }

    public Bytes32 digest(long chainId) {
        return Digests.daVoteForHeader(chainId, view, headerCommitment, payloadRoot, vidRoot);
    }
}
