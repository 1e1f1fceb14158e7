package dev.cortado.node.da;

import dev.cortado.node.da.vid.VidCommitment;
import dev.cortado.node.da.vid.VidShare;

/** A node's share as it keeps and serves it: the share with the commitment it belongs to. */
public record StoredShare(VidCommitment commitment, VidShare share) {
    public StoredShare {
        if (commitment == null || share == null) {
            throw new IllegalArgumentException("commitment and share must not be null");
        }
    }
}
