package dev.cortado.node.runtime;

import dev.cortado.protocol.block.BlockCommitmentFrontier;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Header commitments of the decided chain, for {@code blockCommRoot}. Height 0 is the genesis
 * block, whose header commitment is by convention {@code bytes32(0)} (the genesis leaf's block
 * commitment), so header {@code h} commits to {@code [0, c1, .., c(h-1)]}. A block on an undecided
 * parent also covers the undecided ancestors: they are appended to a copy of the frontier, so a
 * proposal's root costs O(log n) hashes at any height. This is all the memory the chain's commitments
 * take: the tree that proves old headers to API clients is on disk ({@code storage.HeaderTree}), which
 * also gives the frontier at start-up in O(log n) reads.
 */
final class ChainCommitments {
    private final BlockCommitmentFrontier frontier;
    private Bytes32 tip;
    /** Pair hashes spent on roots for proposals and builds, apart from appends: the height test's measure. */
    private long rootHashes;

    /** @param frontier the decided chain's frontier, genesis included, owned from now on; {@code tip} its last leaf */
    ChainCommitments(BlockCommitmentFrontier frontier, Bytes32 tip) {
        if (frontier.size() < 1) {
            throw new IllegalArgumentException("the decided chain starts with the genesis header");
        }
        this.frontier = frontier;
        this.tip = tip;
    }

    /** Only the genesis header decided. */
    static ChainCommitments genesis() {
        BlockCommitmentFrontier f = new BlockCommitmentFrontier();
        f.append(Bytes32.ZERO);
        return new ChainCommitments(f, Bytes32.ZERO);
    }

    synchronized void append(Bytes32 headerCommitment) {
        frontier.append(headerCommitment);
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

    /** All this holds, the frontier: at most 64 subtree roots at any height. */
    synchronized int frontierNodes() {
        return frontier.retainedNodes();
    }
}
