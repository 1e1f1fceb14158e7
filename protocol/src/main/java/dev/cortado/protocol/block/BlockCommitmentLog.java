package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;

/**
 * The append-only list of header commitments. {@code blockCommRoot(count) =
 * keccak256(abi.encode(TAG_block-comm, merkleRoot(commitments[0..count-1]), uint256 count))}: header
 * {@code h} carries {@code blockCommRoot(h)}, the light-client state of block {@code h} carries
 * {@code blockCommRoot(h + 1)}. Not thread-safe.
 */
public final class BlockCommitmentLog {
    private final MerkleAccumulator tree = new MerkleAccumulator();

    /** Number of headers appended: the height the next header must have. */
    public long size() {
        return tree.size();
    }

    /** Appends a header commitment without checks (for rebuilding from trusted storage). */
    public long append(Bytes32 headerCommitment) {
        return tree.append(headerCommitment);
    }

    /**
     * Appends {@code header} after checking that it is the next height and that its blockCommRoot
     * covers exactly the headers before it.
     */
    public long append(BlockHeader header, long chainId) {
        if (header.height().value() != size()) {
            throw new IllegalArgumentException("next header must have height " + size() + ", got " + header.height().value());
        }
        Bytes32 expected = blockCommRoot();
        if (!header.blockCommRoot().equals(expected)) {
            throw new IllegalArgumentException("header " + header.height().value() + " has blockCommRoot "
                    + header.blockCommRoot() + ", the log gives " + expected);
        }
        return append(header.commitment(chainId));
    }

    public Bytes32 headerCommitment(long height) {
        return tree.leaf(Math.toIntExact(height));
    }

    /** The root over every header appended so far. */
    public Bytes32 blockCommRoot() {
        return blockCommRoot(size());
    }

    /** The root over the first {@code count} headers. */
    public Bytes32 blockCommRoot(long count) {
        return blockCommRoot(tree.root(Math.toIntExact(count)), count);
    }

    /** Proof of header {@code height} against {@link #blockCommRoot(long) blockCommRoot(count)}. */
    public MerkleProof proof(long height, long count) {
        return tree.proof(Math.toIntExact(height), Math.toIntExact(count));
    }

    public static Bytes32 blockCommRoot(Bytes32 merkleRoot, long count) {
        return Abi.encoder().bytes32(DomainTags.BLOCK_COMM).bytes32(merkleRoot).uint256(count).hash();
    }

    /**
     * Checks that {@code headerCommitment} is header {@code proof.index()} of the log whose first
     * {@code count} headers give {@code blockCommRoot}.
     */
    public static boolean verify(Bytes32 blockCommRoot, long count, Bytes32 headerCommitment, MerkleProof proof) {
        if (count != proof.leafCount()) {
            return false;
        }
        return blockCommRoot(proof.computeRoot(headerCommitment), count).equals(blockCommRoot);
    }
}
