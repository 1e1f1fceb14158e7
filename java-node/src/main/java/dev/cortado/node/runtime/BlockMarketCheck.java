package dev.cortado.node.runtime;

import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.MarketVerdict;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequencing-rights rule applied to a proposed block (issue 11): the block's window comes from its header
 * timestamp on the marketplace's slot clock, each namespace's right from the marketplace as of the header's
 * l1Head, and the block's transactions per namespace are judged by {@link BlockMarketRules}. Every input is in the
 * header or the namespace table, or is the follower's answer for (window, l1Head), which is the same on every
 * replica that followed that L1 block; so honest replicas agree on the verdict.
 *
 * <p>Blocks carry no bundles yet (no encoding is defined and the leader does not take from the bundle pool), so a
 * restricted namespace (sold, unsold, or fallen back) must be empty. With no bundle ever decided the window's
 * activity is its start: silence fallback can only move a namespace from one restricted holder to another, never
 * open it, so the verdict is exact without folding activity over the chain.
 */
final class BlockMarketCheck {
    private final MarketState market;
    private final BlockMarketRules rules;

    BlockMarketCheck(MarketState market, BlockMarketRules rules) {
        this.market = market;
        this.rules = rules;
    }

    BlockVerdict check(KnownBlock block) {
        BlockHeader h = block.header();
        MarketClock clock = market.clock();
        long timeSec = Math.floorDiv(h.timestampMs(), 1000L);
        long window = clock.windowAt(timeSec);
        if (window < 0) {
            // Before the marketplace's first slot no window exists, so nothing is sold or restricted yet.
            return new BlockVerdict.Accept();
        }
        long slot = clock.slots().slotAt(timeSec);
        return switch (market.windowAt(window, h.l1Head())) {
            case MarketAnswer.NotYetSeen n -> BlockVerdict.Defer.l1(n.l1Block(), n.followedBlock());
            case MarketAnswer.Unavailable u -> new BlockVerdict.Reject("marketplace state of window " + window
                    + " at l1Head " + h.l1Head() + " is unavailable: " + u.reason());
            case MarketAnswer.Known k -> switch (rules.check(slot, k.market(), WindowActivity.start(k.market(), 1),
                    List.of(), byNamespace(block))) {
                case MarketVerdict.Valid v -> new BlockVerdict.Accept();
                case MarketVerdict.Invalid bad -> new BlockVerdict.Reject("sequencing rights: " + bad.reason());
            };
        };
    }

    /**
     * Whether a leader may put loose mempool transactions of {@code namespace} into a block stamped
     * {@code timestampMs} and {@code l1Head}: only when the namespace is open then. Unknown state counts as closed,
     * so an honest leader never builds a block its replicas would reject.
     */
    boolean openForLoose(long namespace, long timestampMs, long l1Head) {
        MarketClock clock = market.clock();
        long window = clock.windowAt(Math.floorDiv(timestampMs, 1000L));
        if (window < 0) {
            return true;
        }
        return market.windowAt(window, l1Head) instanceof MarketAnswer.Known k
                && BlockMarketRules.refuseLoose(k.market(), WindowActivity.start(k.market(), 1), namespace).isEmpty();
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
