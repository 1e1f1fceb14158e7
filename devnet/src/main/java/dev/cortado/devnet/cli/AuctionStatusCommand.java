package dev.cortado.devnet.cli;

import dev.cortado.settlement.auction.AuctionPhase;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.AuctionViews.MarketParams;
import dev.cortado.settlement.auction.AuctionViews.ResultView;
import dev.cortado.settlement.auction.AuctionViews.RollupTerms;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.Allocation;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado auction status}: the slot clock, then per window its phase with the slot
 * boundaries, its bids, the best allocation on chain next to the exact optimum of the revealed bids,
 * and, once final, who sequences each rollup.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Windows, phases with their slot boundaries, bids, the best allocation and the results.")
public final class AuctionStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AuctionOptions l1;

    @Option(names = "--window", paramLabel = "N", description = "show this window (default: the current one and the next two)")
    String window;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MarketplaceGateway g = l1.connect(false)) {
            MarketParams p = g.params();
            AuctionSchedule s = p.schedule();
            long slot = g.latestSlot();
            long current = s.windowOf(Math.max(0, slot));
            out.printf("marketplace %s: slot %d (%d s per slot), window %d; windows of %d slots: commit %d, reveal %d, resolution %d,"
                    + " final %d before the window; bond %s wei, base commit fee %s wei, at most %d bids per window%n", g.address(),
                    slot, p.secondsPerSlot(), current, s.slotsPerWindow(), s.commitSlots(), s.revealSlots(), s.resolutionSlots(),
                    s.finalitySlots(), p.bidBondWei(),
                    p.commitFeeWei(), p.maxBidsPerWindow());
            List<Long> shown = window != null ? List.of(AuctionOptions.nonNegative("--window", window))
                    : List.of(current, current + 1, current + 2);
            Resolver resolver = new Resolver(g, new ExactSolver());
            for (long w : shown) {
                show(out, g, s, w, slot, resolver);
            }
            out.flush();
            return 0;
        }
    }

    private static void show(PrintWriter out, MarketplaceGateway g, AuctionSchedule s, long w, long slot, Resolver resolver) {
        AuctionPhase phase = slot < 0 ? AuctionPhase.NOT_OPEN : s.phaseOf(w, slot);
        if (!s.auctioned(w)) {
            out.printf("window %d: never auctioned (its commit phase would start before slot 0)%n", w);
            return;
        }
        out.printf("window %d: %s; commit slots %d-%d, reveal %d-%d, resolution %d-%d, final from %d, window %d-%d%n", w,
                phase, s.commitSlot(w), s.revealSlot(w) - 1, s.revealSlot(w), s.resolutionSlot(w) - 1, s.resolutionSlot(w),
                s.finalSlot(w) - 1, s.finalSlot(w), s.windowSlot(w), s.windowSlot(w + 1) - 1);
        for (BidView b : g.bidsOf(w)) {
            out.printf("  bid %d by %s, collateral %s wei, %s%s%n", b.bidId(), b.bidder(), b.collateralWei(),
                    b.revealed() ? "bundle 0x" + b.bundleBits().toString(16) + " for " + b.amountWei() + " wei" : "sealed",
                    b.settled() ? ", settled" : "");
        }
        ResultView r = g.resultOf(w);
        out.printf("  best allocation on chain: %s, revenue %s wei%s%n", r.bidIds(), r.revenueWei(), r.isFinal() ? " (final)" : "");
        if (phase == AuctionPhase.RESOLUTION || phase == AuctionPhase.FINAL || phase == AuctionPhase.REVEAL) {
            Allocation a = new ExactSolver().solve(resolver.instanceFor(w));
            out.printf("  optimum of the revealed bids: %s, revenue %s wei%n", a.bidIds(), a.revenueWei());
        }
        if (phase == AuctionPhase.FINAL) {
            for (RollupTerms t : g.rollupsFor(w)) {
                if (t.inWindow(w)) {
                    out.printf("  rollup %d (namespace %d): sequenced by %s%n", t.index(), t.namespace(), g.winnerOf(w, t.namespace()));
                }
            }
        }
    }
}
