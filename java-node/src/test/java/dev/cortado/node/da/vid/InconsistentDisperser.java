package dev.cortado.node.da.vid;

import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/** A misbehaving leader for tests: corrupts one share after encoding and commits to the corrupted set. */
public final class InconsistentDisperser {
    private InconsistentDisperser() {
    }

    public static VidDispersal disperse(Vid vid, byte[] payload, int corruptShare) {
        byte[][] shares = vid.encodeShares(payload);
        shares[corruptShare][0] ^= 0x5a;
        List<Bytes32> leaves = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            leaves.add(VidShare.leaf(i, shares[i]));
        }
        MerkleAccumulator tree = MerkleAccumulator.of(leaves);
        List<VidShare> out = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            out.add(new VidShare(i, shares[i], tree.proof(i)));
        }
        return new VidDispersal(new VidCommitment(tree.root(), shares.length, payload.length), out);
    }
}
