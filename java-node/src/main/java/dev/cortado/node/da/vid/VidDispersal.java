package dev.cortado.node.da.vid;

import java.util.List;

/** The commitment and the n shares the leader sends, share i to node i. */
public record VidDispersal(VidCommitment commitment, List<VidShare> shares) {
    public VidDispersal {
        shares = List.copyOf(shares);
        if (shares.size() != commitment.shareCount()) {
            throw new IllegalArgumentException("expected " + commitment.shareCount() + " shares, got " + shares.size());
        }
    }

    public VidShare share(int index) {
        return shares.get(index);
    }
}
