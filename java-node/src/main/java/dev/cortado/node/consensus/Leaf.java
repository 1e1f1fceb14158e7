package dev.cortado.node.consensus;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * One link of the HotShot chain. The leaf carries only the block's header commitment: the block itself
 * travels through DA and the core stays generic over the block format.
 *
 * <p>Commitment (docs/architecture.md, "Leaf commitment"):
 * {@code keccak256(abi.encode(TAG_leaf, uint256 chainId, uint64 view, uint64 height, bytes32 parent,
 * bytes32 blockCommitment, uint64 justifyView))} with {@code TAG_leaf = keccak256("cortado/leaf/v1")}. The last
 * leaf of an epoch ({@link Epochs}) also certifies the next epoch's stake table: {@code nextStakeTable} is then
 * that table's commitment and is appended to the encoding as one more word; every other leaf has
 * {@link Bytes32#ZERO} there and keeps the shorter encoding, so a network without epochs is unchanged.
 */
public record Leaf(long chainId, View view, Height height, Bytes32 parentCommitment, Bytes32 blockCommitment,
        View justifyView, Bytes32 nextStakeTable) {

    public static final Bytes32 TAG_LEAF = DomainTags.LEAF;

    public Leaf {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(height, "height");
        Objects.requireNonNull(parentCommitment, "parentCommitment");
        Objects.requireNonNull(blockCommitment, "blockCommitment");
        Objects.requireNonNull(justifyView, "justifyView");
        Objects.requireNonNull(nextStakeTable, "nextStakeTable");
    }

    /** A leaf that does not hand over to a new stake table. */
    public Leaf(long chainId, View view, Height height, Bytes32 parentCommitment, Bytes32 blockCommitment,
            View justifyView) {
        this(chainId, view, height, parentCommitment, blockCommitment, justifyView, Bytes32.ZERO);
    }

    /** The genesis leaf every replica starts from: view 0, height 0, all-zero parent and block. */
    public static Leaf genesis(long chainId) {
        return new Leaf(chainId, View.ZERO, Height.ZERO, Bytes32.ZERO, Bytes32.ZERO, View.ZERO);
    }

    public boolean handsOver() {
        return !nextStakeTable.equals(Bytes32.ZERO);
    }

    public Bytes32 commitment() {
        return handsOver()
                ? Digests.leaf(chainId, view, height, parentCommitment, blockCommitment, justifyView, nextStakeTable)
                : Digests.leaf(chainId, view, height, parentCommitment, blockCommitment, justifyView);
    }
}
