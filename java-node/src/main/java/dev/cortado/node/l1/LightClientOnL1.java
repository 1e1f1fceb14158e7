package dev.cortado.node.l1;

import dev.cortado.protocol.types.Bytes32;

/**
 * LightClient.sol's finalized HotShot state as the follower read it at {@code l1Block}, a block at the
 * confirmation depth (or the {@code finalized} tag), so a reorg of unconfirmed L1 blocks cannot take it back.
 * Every HotShot height at or below {@code height} is L1-final once this node's own header commitments agree
 * with {@code blockCommRoot} (checked where it is used, see {@code node.api.Confirmations}).
 */
public record LightClientOnL1(long l1Block, long view, long height, Bytes32 blockCommRoot) {
    public LightClientOnL1 {
        if (l1Block < 0 || view < 0 || height < 0) {
            throw new IllegalArgumentException("l1Block, view and height must be >= 0, got " + l1Block + ", " + view + ", " + height);
        }
        java.util.Objects.requireNonNull(blockCommRoot, "blockCommRoot");
    }
}
