package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * What {@link BlockPipeline} reads about the rest of the node, as a port: the core's leaves and the decided
 * chain in the store. Read-only, so the pipeline's answers depend only on its inputs and this view.
 */
interface ChainView {
    /** A leaf the core knows by its commitment, or null. */
    Leaf knownLeaf(Bytes32 leafCommitment);

    /** Decided blocks including genesis: the height the next decided block will have. */
    long decidedCount();

    /** Header commitment of the highest decided block. */
    Bytes32 decidedTip();

    /** blockCommRoot a header must carry on top of the decided chain plus {@code undecidedAncestors}. */
    Bytes32 blockCommRoot(List<Bytes32> undecidedAncestors);

    /** The transaction with this hash is in a decided block. */
    boolean isDecided(Bytes32 txHash);

    /** Header timestamp of decided height {@code height} (0 for genesis or a pruned height). */
    long decidedTimestampMs(long height);

    /** Header l1Head of decided height {@code height} (0 for genesis or a pruned height). */
    long decidedL1Head(long height);

    /**
     * The sequencing-rights state after the decided tip: the activity of the tip's window folded over the decided
     * blocks of that window, or why it is not known yet. Asked only while the node enforces the market rule.
     */
    default BlockMarketCheck.Judgement decidedActivity() {
        return new BlockMarketCheck.Judgement.Pass(null);
    }
}
