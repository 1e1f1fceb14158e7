package dev.cortado.protocol.codec;

import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;

/**
 * The 32-byte messages that validators sign, exactly as in docs/architecture.md ("Digests").
 * {@code chainId} is the HotShot chain id (uint256 on the wire); {@code l1ChainId} is Ethereum's.
 */
public final class Digests {
    /** Size of a public key in EIP-2537 G2 form, the preimage of the key hash in PoP and stake leaves. */
    public static final int G2_EIP2537_BYTES = 256;

    private Digests() {
    }

    public static Bytes32 quorumVote(long chainId, View view, Bytes32 leafCommitment) {
        return Abi.encoder().bytes32(DomainTags.QUORUM_VOTE).uint256(chainId).uint64(view.value())
                .bytes32(leafCommitment).hash();
    }

    /**
     * A consensus leaf's commitment, the value quorum votes sign:
     * {@code keccak256(abi.encode(TAG_leaf, chainId, uint64 view, uint64 height, parent, blockCommitment, uint64 justifyView))}.
     */
    public static Bytes32 leaf(long chainId, View view, Height height, Bytes32 parentLeaf, Bytes32 blockCommitment,
            View justifyView) {
        return Abi.encoder().bytes32(DomainTags.LEAF).uint256(chainId).uint64(view.value()).uint64(height.value())
                .bytes32(parentLeaf).bytes32(blockCommitment).uint64(justifyView.value()).hash();
    }

    /**
     * The commitment of a leaf that also certifies the stake table of the next epoch (the last leaf of an
     * epoch): {@code keccak256(abi.encode(TAG_leaf, chainId, uint64 view, uint64 height, parent, blockCommitment,
     * uint64 justifyView, nextStakeTable))}. One word longer than {@link #leaf(long, View, Height, Bytes32, Bytes32,
     * View)}, so the two never collide.
     */
    public static Bytes32 leaf(long chainId, View view, Height height, Bytes32 parentLeaf, Bytes32 blockCommitment,
            View justifyView, Bytes32 nextStakeTable) {
        return Abi.encoder().bytes32(DomainTags.LEAF).uint256(chainId).uint64(view.value()).uint64(height.value())
                .bytes32(parentLeaf).bytes32(blockCommitment).uint64(justifyView.value()).bytes32(nextStakeTable)
                .hash();
    }

    public static Bytes32 timeoutVote(long chainId, View view) {
        return Abi.encoder().bytes32(DomainTags.TIMEOUT_VOTE).uint256(chainId).uint64(view.value()).hash();
    }

    /**
     * The timeout vote that also binds the voter's highest QC view (Jolteon): a timeout certificate made of
     * such votes proves the highest QC among its signers.
     * {@code keccak256(abi.encode(TAG_timeout_vote, chainId, uint64 view, uint64 highQcView))}; its preimage is
     * one word longer than the two-argument form, so the two never collide.
     */
    public static Bytes32 timeoutVote(long chainId, View view, View highQcView) {
        return Abi.encoder().bytes32(DomainTags.TIMEOUT_VOTE).uint256(chainId).uint64(view.value())
                .uint64(highQcView.value()).hash();
    }

    /**
     * The quorum vote of stake-table epoch {@code epoch}: epoch 0 is exactly {@link #quorumVote(long, View, Bytes32)}
     * (so a network without epochs signs what it always signed); a later epoch appends {@code uint64 epoch}, one
     * word longer, so a vote of one epoch never counts in another.
     */
    public static Bytes32 quorumVote(long chainId, long epoch, View view, Bytes32 leafCommitment) {
        if (epoch == 0) {
            return quorumVote(chainId, view, leafCommitment);
        }
        return Abi.encoder().bytes32(DomainTags.QUORUM_VOTE).uint256(chainId).uint64(view.value())
                .bytes32(leafCommitment).uint64(epoch).hash();
    }

    /** The timeout vote of {@code epoch}: epoch 0 is {@link #timeoutVote(long, View, View)}, later ones append it. */
    public static Bytes32 timeoutVote(long chainId, long epoch, View view, View highQcView) {
        if (epoch == 0) {
            return timeoutVote(chainId, view, highQcView);
        }
        return Abi.encoder().bytes32(DomainTags.TIMEOUT_VOTE).uint256(chainId).uint64(view.value())
                .uint64(highQcView.value()).uint64(epoch).hash();
    }

    public static Bytes32 daVote(long chainId, View view, Bytes32 payloadRoot, Bytes32 vidRoot) {
        return Abi.encoder().bytes32(DomainTags.DA_VOTE).uint256(chainId).uint64(view.value())
                .bytes32(payloadRoot).bytes32(vidRoot).hash();
    }

    /**
     * The DA vote that binds the proposed header: {@code keccak256(abi.encode(TAG_da-vote, chainId,
     * uint64 view, headerCommitment, payloadRoot, vidRoot))}. One more word than {@link #daVote}, so
     * the two never collide; with it a committee certifies one header per view, not one payload under
     * any parent.
     */
    public static Bytes32 daVoteForHeader(long chainId, View view, Bytes32 headerCommitment, Bytes32 payloadRoot,
            Bytes32 vidRoot) {
        return Abi.encoder().bytes32(DomainTags.DA_VOTE).uint256(chainId).uint64(view.value())
                .bytes32(headerCommitment).bytes32(payloadRoot).bytes32(vidRoot).hash();
    }

    public static Bytes32 lcState(long chainId, View view, Height height, Bytes32 blockCommRoot,
            Bytes32 stakeTableComm) {
        return Abi.encoder().bytes32(DomainTags.LC_STATE).uint256(chainId).uint64(view.value())
                .uint64(height.value()).bytes32(blockCommRoot).bytes32(stakeTableComm).hash();
    }

    /** {@code keccak256(abi.encode(TAG_pop, l1ChainId, stakeTable, registrant, keccak256(pkEip2537)))}. */
    public static Bytes32 pop(long l1ChainId, Address stakeTable, Address registrant, byte[] pkEip2537) {
        if (pkEip2537.length != G2_EIP2537_BYTES) {
            throw new IllegalArgumentException("a public key in EIP-2537 form has 256 bytes, got " + pkEip2537.length);
        }
        return Abi.encoder().bytes32(DomainTags.POP).uint256(l1ChainId).address(stakeTable)
                .address(registrant).bytes32(Keccak.hash(pkEip2537)).hash();
    }
}
