package dev.cortado.node.runtime;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.market.BundleRecord;
import java.util.List;
import java.util.Optional;

/**
 * The sequencing-rights state after the decided tip, folded over the decided blocks of the tip's window (event
 * thread only). It is rebuilt from the store when first asked (at start, or once the node begins to follow L1):
 * header timestamps never decrease along the chain, so the first block of the tip's window is found by binary
 * search over heights and only that window's blocks are read. After that each new decided height is folded once.
 * A decided block was judged by a quorum, so folding only replays its bundles' sequence numbers and slots
 * ({@link dev.cortado.node.market.BlockMarketRules#fold}); it never re-judges.
 */
final class ChainActivity {
    /** The decided chain as this fold reads it (the store, through {@link DecidedChain}). */
    interface Source {
        /** Decided blocks including genesis: the next height. */
        long nextHeight();

        /** The lowest height still stored. */
        long pruneFloor();

        Optional<BlockHeader> header(long height);

        List<BundleRecord> bundles(long height);

        /**
         * The state after decided {@code height} and the rights it gives (null when the tip's window is not
         * readable), offered to readers on other threads (the API's status).
         */
        default void publish(long height, dev.cortado.node.market.WindowActivity after, ApiDtos.Rights rights) {
        }

        static Source of(DecidedChain chain) {
            return new Source() {
                @Override
                public long nextHeight() {
                    return chain.nextHeight();
                }

                @Override
                public long pruneFloor() {
                    return chain.pruneFloor();
                }

                @Override
                public Optional<BlockHeader> header(long height) {
                    return chain.header(height);
                }

                @Override
                public List<BundleRecord> bundles(long height) {
                    return chain.bundles(height);
                }

                @Override
                public void publish(long height, dev.cortado.node.market.WindowActivity after, ApiDtos.Rights rights) {
                    chain.publishActivity(height, after, rights);
                }
            };
        }
    }

    private final Source chain;
    private final BlockMarketCheck check;
    /** Highest decided height folded into {@link #state}; -1 before the first rebuild. */
    private long foldedHeight = -1;
    private BlockMarketCheck.Judgement.Pass state = new BlockMarketCheck.Judgement.Pass(null);

    ChainActivity(Source chain, BlockMarketCheck check) {
        this.chain = chain;
        this.check = check;
    }

    BlockMarketCheck.Judgement atTip() {
        long tip = chain.nextHeight() - 1;
        if (foldedHeight < 0) {
            foldedHeight = firstOfTipWindow(tip) - 1;
        }
        while (foldedHeight < tip) {
            long h = foldedHeight + 1;
            Optional<BlockHeader> header = chain.header(h);
            if (header.isEmpty()) {
                // Pruned: the window's earlier blocks are gone; start from the next one that is stored.
                foldedHeight = h;
                continue;
            }
            BlockMarketCheck.Judgement next = check.fold(header.get(), chain.bundles(h), state.after());
            if (!(next instanceof BlockMarketCheck.Judgement.Pass p)) {
                return next;
            }
            state = p;
            foldedHeight = h;
            chain.publish(h, p.after(), p.after() == null ? null : rightsAfter(header.get(), p.after()));
        }
        return state;
    }

    /** Who may sequence each registered namespace after {@code tip}, or null when its window is not readable there. */
    private ApiDtos.Rights rightsAfter(BlockHeader tip, dev.cortado.node.market.WindowActivity activity) {
        if (!(check.market().windowAt(activity.window(), tip.l1Head()) instanceof dev.cortado.node.l1.MarketAnswer.Known k)) {
            return null;
        }
        List<ApiDtos.NamespaceRight> out = new java.util.ArrayList<>();
        for (long ns : new java.util.TreeSet<>(k.market().defaultSequencers().keySet())) {
            if (k.market().rightOf(ns, activity) instanceof dev.cortado.node.market.SequencingRight.Restricted r) {
                out.add(new ApiDtos.NamespaceRight(ns, r.sequencer().toHex(), r.reason().name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        long slot = check.market().clock().slots().slotAt(Math.floorDiv(tip.timestampMs(), 1000L));
        return new ApiDtos.Rights(tip.height().value(), activity.window(), slot, tip.l1Head(), List.copyOf(out));
    }

    /** The lowest stored height whose header is in the same marketplace window as {@code tip}'s (tip+1 if none). */
    private long firstOfTipWindow(long tip) {
        long floor = Math.max(1, chain.pruneFloor());
        if (tip < floor) {
            return tip + 1;
        }
        long window = windowOf(tip);
        if (window < 0) {
            return tip; // before the marketplace's genesis: nothing to fold but the tip itself
        }
        long lo = floor;
        long hi = tip;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (windowOf(mid) >= window) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private long windowOf(long height) {
        return chain.header(height)
                .map(h -> check.market().clock().windowAt(Math.floorDiv(h.timestampMs(), 1000L)))
                .orElse(-1L);
    }
}
