package dev.cortado.node.runtime;

import dev.cortado.protocol.block.BlockCommitmentFrontier;
import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Header commitments of the decided chain, for {@code blockCommRoot}. Height 0 is the genesis
 * block, whose header commitment is by convention {@code bytes32(0)} (the genesis leaf's block
 * commitment), so header {@code h} commits to {@code [0, c1, .., c(h-1)]}. A block on an undecided
 * parent also covers the undecided ancestors: they are appended to a copy of the frontier, so a
 * proposal's root costs O(log n) hashes at any height. The full tree stays only to prove old
 * headers to API clients.
 */
final class ChainCommitments {
    private final BlockCommitmentFrontier frontier = new BlockCommitmentFrontier();
    private final MerkleAccumulator tree = new MerkleAccumulator();
    private Bytes32 tip;
    /** Pair hashes spent on roots for proposals and builds, apart from appends: the height test's measure. */
    private long rootHashes;

    /** @param stored the stored header commitments from height 1 on */
    ChainCommitments(List<Bytes32> stored) {
        append(Bytes32.ZERO);
        stored.forEach(this::append);
    }

    synchronized void append(Bytes32 headerCommitment) {
        frontier.append(headerCommitment);
        tree.append(headerCommitment);
        tip = headerCommitment;
    }

    /** Number of decided headers, genesis included: the height the next decided block has. */
    synchronized long size() {
        return frontier.size();
    }

    /** The header commitment of the last decided block (height {@code size() - 1}). */
    synchronized Bytes32 tip() {
        return tip;
    }

    /** The blockCommRoot for a header at height {@code size() + pending.size()}. */
    synchronized Bytes32 rootFor(List<Bytes32> pendingAscending) {
        if (pendingAscending.isEmpty()) {
            long before = frontier.hashes();
            Bytes32 root = frontier.blockCommRoot();
            rootHashes += frontier.hashes() - before;
            return root;
        }
        BlockCommitmentFrontier extended = frontier.copy();
        pendingAscending.forEach(extended::append);
        Bytes32 root = extended.blockCommRoot();
        rootHashes += extended.hashes();
        return root;
    }

    /** Pair hashes all {@link #rootFor} calls have cost so far. */
    synchronized long rootHashes() {
        return rootHashes;
    }

    /** What the proposal-time state (the frontier) holds: at most 64 subtree roots at any height. */
    synchronized int frontierNodes() {
        return frontier.retainedNodes();
    }

    /** Proof of header {@code height} against the root over the first {@code count} headers. */
    synchronized dev.cortado.protocol.merkle.MerkleProof proof(long height, long count) {
        return tree.proof(Math.toIntExact(height), Math.toIntExact(count));
    }
}
