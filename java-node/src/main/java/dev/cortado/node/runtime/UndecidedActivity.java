package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequencing-rights state along the undecided chain, for {@link BlockPipeline}: the window's activity after each
 * undecided block, folded from the decided tip's and cached. It stands apart from the header rules because it is the
 * one piece of the pipeline with its own cache and its own rule object, and only exists while the node follows L1;
 * the pipeline asks it for a verdict only after every other header rule has passed.
 *
 * <p>Bounded like the pending blocks; an entry is keyed by header commitment, which fixes the block's ancestry, so a
 * cached value never goes stale.
 */
final class UndecidedActivity {
    static final int MAX_ENTRIES = 2 * BlockPipeline.MAX_WANTED;

    private final ChainView chain;
    private final PendingBlocks pending;
    private final Map<Bytes32, BlockMarketCheck.Judgement.Pass> activityAfter = new LinkedHashMap<>();
    /** The sequencing-rights rule; null while the node follows no L1, when every namespace is open. */
    private BlockMarketCheck marketCheck;

    UndecidedActivity(ChainView chain, PendingBlocks pending) {
        this.chain = chain;
        this.pending = pending;
    }

    void enforce(BlockMarketCheck check) {
        this.marketCheck = check;
    }

    boolean enforced() {
        return marketCheck != null;
    }

    /**
     * The window's activity after the last of {@code ancestors} (the undecided chain above the decided tip, every
     * block known): the decided chain's fold, then each ancestor's, from the cache or folded now.
     */
    BlockMarketCheck.Judgement at(List<Leaf> ancestors) {
        BlockMarketCheck.Judgement at = chain.decidedActivity();
        for (Leaf leaf : ancestors) {
            if (!(at instanceof BlockMarketCheck.Judgement.Pass p)) {
                return at;
            }
            BlockMarketCheck.Judgement.Pass cached = activityAfter.get(leaf.blockCommitment());
            if (cached != null) {
                at = cached;
                continue;
            }
            KnownBlock b = pending.get(leaf.blockCommitment());
            at = marketCheck.fold(b.header(), b.bundles(), p.after());
            if (at instanceof BlockMarketCheck.Judgement.Pass folded) {
                remember(leaf.blockCommitment(), folded);
            }
        }
        return at;
    }

    /** The market rule's verdict on {@code block} on top of {@code ancestors}; a passing block's activity is cached. */
    BlockVerdict verdict(KnownBlock block, List<Leaf> ancestors) {
        BlockMarketCheck.Judgement parentMarket = at(ancestors);
        if (parentMarket instanceof BlockMarketCheck.Judgement.Fail f) {
            return f.verdict() instanceof BlockVerdict.Reject r
                    ? new BlockVerdict.Reject("an ancestor's sequencing-rights state: " + r.reason()) : f.verdict();
        }
        BlockMarketCheck.Judgement.Pass before = (BlockMarketCheck.Judgement.Pass) parentMarket;
        return switch (marketCheck.check(block, before.after())) {
            case BlockMarketCheck.Judgement.Pass p -> {
                remember(block.commitment(), p);
                yield new BlockVerdict.Accept();
            }
            case BlockMarketCheck.Judgement.Fail f -> f.verdict();
        };
    }

    private void remember(Bytes32 commitment, BlockMarketCheck.Judgement.Pass p) {
        activityAfter.put(commitment, p);
        if (activityAfter.size() > MAX_ENTRIES) {
            activityAfter.remove(activityAfter.keySet().iterator().next());
        }
    }
}
