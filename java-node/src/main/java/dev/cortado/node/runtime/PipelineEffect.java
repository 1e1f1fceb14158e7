package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** What {@link BlockPipeline} asks its driver to do, in order. */
sealed interface PipelineEffect {
    /** The verdict on a proposed block (also for a deferred one, once its ancestor arrived). */
    record Checked(Proposal proposal, KnownBlock block, BlockVerdict verdict) implements PipelineEffect {
    }

    /** Ask for a block's full data: one peer, or everyone when {@code peer} is empty. */
    record FetchBlock(Bytes32 blockCommitment, OptionalInt peer) implements PipelineEffect {
    }

    /**
     * Everything the leader needs to build on {@code parent}: transactions it must leave out, and the header's
     * timestamp, l1Head (the L1 block the marketplace state is read at: this node's followed block, never below the
     * parent's) and blockCommRoot; and, under the market rule, the window's activity after the parent.
     */
    record BuildReady(View view, Leaf parent, long deadlineMs, Set<Bytes32> inFlight, long timestampMs, long l1Head,
                      Bytes32 blockCommRoot, BlockMarketCheck.Judgement parentMarket)
            implements PipelineEffect {
    }

    /** Building must wait for a missing ancestor block (requested); try again after {@code retryAfterMs}. */
    record BuildDeferred(View view, Leaf parent, long deadlineMs, Bytes32 missingAncestorBlock, long retryAfterMs)
            implements PipelineEffect {
    }

    /** No block can be built on {@code parent}: its chain does not extend the decided chain. */
    record BuildRefused(View view, String reason) implements PipelineEffect {
    }

    /** A fetched block arrived after its height was decided without its payload: the driver may store the payload. */
    record LatePayload(long height, KnownBlock.Full block) implements PipelineEffect {
    }

    /** Convenience for tests and logs. */
    static List<Checked> verdicts(List<PipelineEffect> effects) {
        return effects.stream().filter(Checked.class::isInstance).map(Checked.class::cast).toList();
    }
}
