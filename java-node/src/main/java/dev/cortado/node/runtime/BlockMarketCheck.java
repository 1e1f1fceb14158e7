package dev.cortado.node.runtime;

import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.MarketVerdict;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequencing-rights rule applied to a proposed block (issue 11): the block's window comes from its header
 * timestamp on the marketplace's slot clock, each namespace's right from the marketplace as of the header's
 * l1Head and the window's activity folded over the block's ancestors, and the block's bundles (its reserved
 * namespace's records) and transactions per namespace are judged by {@link BlockMarketRules}. Every input is in
 * the chain (headers, namespace tables, transaction hashes, bundle records) or is the follower's answer for
 * (window, l1Head), which is the same on every replica that followed that L1 block; so honest replicas agree on
 * the verdict and on the fallback point.
 */
final class BlockMarketCheck {
    /** A winner silent this many slots loses its rollups to their default sequencers, unless configured. */
    static final long DEFAULT_SILENCE_SLOTS = 8;

    /** The rule's answer for one block, with the window's state after it when it passes. */
    sealed interface Judgement {
        /** @param after the window's activity after the block; null for a block before the marketplace's genesis */
        record Pass(WindowActivity after) implements Judgement {
        }

        /** The block is rejected, or must wait for L1 ({@code verdict} is a Reject or a Defer). */
        record Fail(BlockVerdict verdict) implements Judgement {
        }
    }

    /** The window, slot and marketplace state a header is judged in, or why there is none. */
    private sealed interface Context {
        record BeforeGenesis() implements Context {
        }

        record InWindow(long slot, MarketWindow market) implements Context {
        }

        record Blocked(BlockVerdict verdict) implements Context {
        }
    }

    private final MarketState market;
    private final BlockMarketRules rules;
    private final long silenceSlots;

    BlockMarketCheck(MarketState market, BlockMarketRules rules) {
        this(market, rules, DEFAULT_SILENCE_SLOTS);
    }

    /** @param silenceSlots the chain's silence rule; every replica must use the same value */
    BlockMarketCheck(MarketState market, BlockMarketRules rules, long silenceSlots) {
        if (silenceSlots < 1) {
            throw new IllegalArgumentException("silence slots must be >= 1, got " + silenceSlots);
        }
        this.market = market;
        this.rules = rules;
        this.silenceSlots = silenceSlots;
    }

    BlockMarketRules rules() {
        return rules;
    }

    MarketState market() {
        return market;
    }

    private Context contextOf(long timestampMs, long l1Head) {
        MarketClock clock = market.clock();
        long timeSec = Math.floorDiv(timestampMs, 1000L);
        long window = clock.windowAt(timeSec);
        if (window < 0) {
            // Before the marketplace's first slot no window exists, so nothing is sold or restricted yet.
            return new Context.BeforeGenesis();
        }
        long slot = clock.slots().slotAt(timeSec);
        return switch (market.windowAt(window, l1Head)) {
            case MarketAnswer.NotYetSeen n -> new Context.Blocked(BlockVerdict.Defer.l1(n.l1Block(), n.followedBlock()));
            case MarketAnswer.Unavailable u -> new Context.Blocked(new BlockVerdict.Reject("marketplace state of window "
                    + window + " at l1Head " + l1Head + " is unavailable: " + u.reason()));
            case MarketAnswer.Known k -> new Context.InWindow(slot, k.market());
        };
    }

    /** The state a block of {@code market}'s window starts from: the parent's, if the parent is in the same window. */
    WindowActivity base(MarketWindow market, WindowActivity parent) {
        return parent != null && parent.window() == market.window() ? parent : WindowActivity.start(market, silenceSlots);
    }

    /** The full rule for a proposed block on a parent whose window activity is {@code parent} (null: none). */
    Judgement check(KnownBlock block, WindowActivity parent) {
        BlockHeader h = block.header();
        return switch (contextOf(h.timestampMs(), h.l1Head())) {
            case Context.BeforeGenesis g -> block.bundles().isEmpty() ? new Judgement.Pass(null)
                    : new Judgement.Fail(new BlockVerdict.Reject("sequencing rights: the block carries "
                            + block.bundles().size() + " bundles before the marketplace's first window"));
            case Context.Blocked b -> new Judgement.Fail(b.verdict());
            case Context.InWindow w -> switch (rules.check(w.slot(), w.market(), base(w.market(), parent), block.bundles(),
                    byNamespace(block))) {
                case MarketVerdict.Valid v -> new Judgement.Pass(v.next());
                case MarketVerdict.Invalid bad -> new Judgement.Fail(new BlockVerdict.Reject("sequencing rights: " + bad.reason()));
            };
        };
    }

    /** The window's state after a block already known to be valid (decided, or accepted before). */
    Judgement fold(BlockHeader h, List<BundleRecord> bundles, WindowActivity parent) {
        return switch (contextOf(h.timestampMs(), h.l1Head())) {
            case Context.BeforeGenesis g -> new Judgement.Pass(null);
            case Context.Blocked b -> new Judgement.Fail(b.verdict());
            case Context.InWindow w -> new Judgement.Pass(rules.fold(w.slot(), w.market(), base(w.market(), parent), bundles));
        };
    }

    /** What a leader building at {@code timestampMs} and {@code l1Head} on a parent with this activity works with. */
    sealed interface BuildContext {
        /** Before the marketplace's genesis: every namespace is open and no bundle can be placed. */
        record Open() implements BuildContext {
        }

        /** The state is not known: no bundles and no loose transaction of a registered namespace. */
        record Unknown(String reason) implements BuildContext {
        }

        /** @param activity the window's state as of this block's slot (fallbacks applied) */
        record Known(long slot, MarketWindow market, WindowActivity activity) implements BuildContext {
        }
    }

    BuildContext buildContext(long timestampMs, long l1Head, Judgement parent) {
        return switch (contextOf(timestampMs, l1Head)) {
            case Context.BeforeGenesis g -> new BuildContext.Open();
            case Context.Blocked b -> new BuildContext.Unknown(b.verdict().toString());
            case Context.InWindow w -> parent instanceof Judgement.Pass p
                    ? new BuildContext.Known(w.slot(), w.market(),
                            base(w.market(), p.after()).advanceTo(w.slot(), w.market().winners().values()))
                    : new BuildContext.Unknown("the window's activity is not known: " + parent);
        };
    }

    /**
     * Whether a leader may put loose mempool transactions of {@code namespace} into a block stamped
     * {@code timestampMs} and {@code l1Head}, with the window's activity at its parent unknown: only when the
     * namespace is open then (a fallback never opens a namespace). Unknown state counts as closed, so an honest
     * leader never builds a block its replicas would reject.
     */
    boolean openForLoose(long namespace, long timestampMs, long l1Head) {
        return switch (buildContext(timestampMs, l1Head, new Judgement.Pass(null))) {
            case BuildContext.Open o -> true;
            case BuildContext.Unknown u -> false;
            case BuildContext.Known k -> BlockMarketRules.refuseLoose(k.market(), k.activity(), namespace).isEmpty();
        };
    }

    /** The block's transaction hashes per namespace, from the namespace table's entries and per-entry counts. */
    static Map<Long, List<Bytes32>> byNamespace(KnownBlock block) {
        NamespaceTable table = NamespaceTable.decode(block.nsTable());
        List<Integer> counts = block.txCounts();
        List<Bytes32> hashes = block.txHashes();
        Map<Long, List<Bytes32>> out = new HashMap<>();
        int at = 0;
        for (int i = 0; i < table.size(); i++) {
            int n = counts.get(i);
            out.put(table.namespace(i).value(), new ArrayList<>(hashes.subList(at, at + n)));
            at += n;
        }
        return out;
    }
}
