package dev.cortado.node.da;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;

/** A committee member's signature over {@code Digests.daVote(chainId, view, payloadRoot, vidRoot)}. */
public record DaVote(View view, Bytes32 payloadRoot, Bytes32 vidRoot, int signerIndex, BlsSignature signature) {
    public DaVote {
        if (view == null || payloadRoot == null || vidRoot == null || signature == null) {
            throw new IllegalArgumentException("DA vote fields must not be null");
        }
        if (signerIndex < 0) {
            throw new IllegalArgumentException("signer index must be non-negative, got " + signerIndex);
        }
    }

    public Bytes32 digest(long chainId) {
        return Digests.daVote(chainId, view, payloadRoot, vidRoot);
    }
}
