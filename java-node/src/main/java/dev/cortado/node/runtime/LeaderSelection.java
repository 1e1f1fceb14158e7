package dev.cortado.node.runtime;

import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Bytes32;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a leader puts in its block (event thread): whole bundles first under the market rule ({@link BundleSelection}),
 * then loose transactions from the mempool that the rule allows, within the block's byte and transaction limits.
 */
final class LeaderSelection {
    private LeaderSelection() {
    }

    /** The chosen bundles and the loose transactions that follow them. */
    record Selected(BundleSelection.Chosen bundles, List<PendingTx> loose) {
    }

    /**
     * @param enforced the market rule, or null without an L1 follower
     * @param pool admitted bundles, or null when this node takes none
     */
    static Selected select(PipelineEffect.BuildReady b, BlockMarketCheck enforced, BundlePool pool, Mempool mempool, DecidedChain chain,
            int maxBlockBytes, int maxTxs) {
        BundleSelection.Chosen chosen = chooseBundles(b, enforced, pool, chain, maxBlockBytes, maxTxs);
        Set<Bytes32> exclude = b.inFlight();
        if (!chosen.hashes().isEmpty()) {
            exclude = new HashSet<>(exclude);
            exclude.addAll(chosen.hashes());
        }
        List<PendingTx> txs = mempool.select(maxBlockBytes - chosen.bytes(), exclude).stream()
                .filter(t -> t.namespace() != BundleRecord.NAMESPACE).toList();
        if (enforced != null) {
            BlockMarketCheck.BuildContext ctx = enforced.buildContext(b.timestampMs(), b.l1Head(), b.parentMarket());
            txs = txs.stream().filter(t -> looseAllowed(ctx, t.namespace())).toList();
        }
        int looseRoom = maxTxs - chosen.txs().size();
        if (txs.size() > looseRoom) {
            txs = txs.subList(0, Math.max(0, looseRoom));
        }
        return new Selected(chosen, txs);
    }

    private static boolean looseAllowed(BlockMarketCheck.BuildContext ctx, long namespace) {
        return switch (ctx) {
            case BlockMarketCheck.BuildContext.Open o -> true;
            case BlockMarketCheck.BuildContext.Unknown u -> false;
            case BlockMarketCheck.BuildContext.Known k -> BlockMarketRules.refuseLoose(k.market(), k.activity(), namespace).isEmpty();
        };
    }

    private static BundleSelection.Chosen chooseBundles(PipelineEffect.BuildReady b, BlockMarketCheck m, BundlePool pool,
            DecidedChain chain, int maxBlockBytes, int maxTxs) {
        BundleSelection.Chosen none = new BundleSelection.Chosen(0, List.of(), Set.of(), 0, List.of());
        if (pool == null || m == null || pool.size() == 0
                || !(m.buildContext(b.timestampMs(), b.l1Head(), b.parentMarket()) instanceof BlockMarketCheck.BuildContext.Known k)) {
            return none;
        }
        pool.pruneBefore(k.market().window());
        BundleSelection.Chosen chosen = BundleSelection.choose(k.slot(), k.market(), k.activity(),
                pool.forWindow(k.market().window()), b.inFlight(), chain::isDecided, maxBlockBytes, maxTxs);
        chosen.stale().forEach(pool::remove);
        return chosen;
    }
}
