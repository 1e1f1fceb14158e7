package dev.cortado.lightclient.api;

import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/** A Merkle proof: leaf index, leaf count and the siblings from the leaf upward (hex). */
public record MerkleProofJson(int index, int leafCount, List<String> siblings) {

    public static MerkleProofJson of(MerkleProof p) {
        return p == null ? null : new MerkleProofJson(p.index(), p.leafCount(), p.siblings().stream().map(Bytes32::toHex).toList());
    }

    public MerkleProof toProof() {
        return new MerkleProof(index, leafCount, Json.roots(siblings, "siblings"));
    }
}
