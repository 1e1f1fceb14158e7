package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.types.View;

/** What {@link BlockPipeline} is told. Every block here already passed its stateless checks ({@link Blocks}). */
sealed interface PipelineInput {
    /** A proposal that passed the screen, with its block (full, or header-only outside the DA committee). */
    record Proposed(Proposal proposal, KnownBlock block) implements PipelineInput {
    }

    /** A block this node asked for (see {@link BlockPipeline#wantedLeaf}), checked against that leaf. */
    record Fetched(KnownBlock.Full block) implements PipelineInput {
    }

    /** The core asks this node, as leader of {@code view}, for a block on {@code parent}; {@code deadlineMs} is the driver's. */
    record Build(View view, Leaf parent, long deadlineMs) implements PipelineInput {
    }

    /** This node built {@code block} for its proposal. */
    record Built(KnownBlock.Full block) implements PipelineInput {
    }

    /** Ask {@code peer} for the full block of {@code leaf} (a DA member, once the block is certified available). */
    record Want(Leaf leaf, int peer) implements PipelineInput {
    }

    /** The core entered {@code view}. */
    record ViewIs(long view) implements PipelineInput {
    }

    /**
     * This node's L1 follower has followed up to {@code followedL1Block} (at its confirmation depth); headers may
     * carry an l1Head at most {@code maxL1LeadBlocks} beyond it. Proposals waiting for that block are re-checked. As
     * leader this node stamps a block only once it has been followed for {@code adoptAfterMs} ({@link L1Adoption}).
     */
    record L1Seen(long followedL1Block, long maxL1LeadBlocks, long adoptAfterMs) implements PipelineInput {
        /** A block is stamped by this node as leader as soon as it is followed (a follower that is not polled). */
        L1Seen(long followedL1Block, long maxL1LeadBlocks) {
            this(followedL1Block, maxL1LeadBlocks, 0);
        }
    }

    /** Height {@code height} was decided and persisted. */
    record Decided(long height) implements PipelineInput {
    }
}
