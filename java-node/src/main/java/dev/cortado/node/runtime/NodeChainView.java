package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link ChainView} port as a running node answers it: leaves from the consensus core, everything decided from
 * the store's {@link DecidedChain}. Kept out of {@link PipelineDriver} so the driver only carries out effects, and so
 * the full list of what the pure pipeline may read about the node is in one place.
 */
final class NodeChainView implements ChainView {
    private final CoreLink core;
    private final DecidedChain chain;
    /** The decided chain's sequencing-rights state; null until the node follows L1 (the driver sets it later). */
    private final Supplier<ChainActivity> activity;

    NodeChainView(CoreLink core, DecidedChain chain, Supplier<ChainActivity> activity) {
        this.core = core;
        this.chain = chain;
        this.activity = activity;
    }

    @Override
    public Leaf knownLeaf(Bytes32 leafCommitment) {
        return core.knownLeaf(leafCommitment);
    }

    @Override
    public long decidedCount() {
        return chain.nextHeight();
    }

    @Override
    public Bytes32 decidedTip() {
        return chain.commitments().tip();
    }

    @Override
    public Bytes32 blockCommRoot(List<Bytes32> undecidedAncestors) {
        return chain.commitments().rootFor(undecidedAncestors);
    }

    @Override
    public boolean isDecided(Bytes32 txHash) {
        return chain.isDecided(txHash);
    }

    @Override
    public long decidedTimestampMs(long height) {
        return chain.timestampMs(height);
    }

    @Override
    public long decidedL1Head(long height) {
        return chain.l1Head(height);
    }

    @Override
    public BlockMarketCheck.Judgement decidedActivity() {
        ChainActivity a = activity.get();
        return a == null ? new BlockMarketCheck.Judgement.Pass(null) : a.atTip();
    }
}
