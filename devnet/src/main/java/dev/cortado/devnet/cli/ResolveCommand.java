package dev.cortado.devnet.cli;

import dev.cortado.settlement.auction.AuctionPhase;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado resolve}: computes the revenue-maximising allocation of a window's revealed bids and
 * submits it when it beats the on-chain best and its revenue gain pays for the gas. Without
 * {@code --window} it follows the slot clock and resolves every window as it enters its resolution phase.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Solve auction windows exactly and submit the allocation when it beats the current best.")
public final class ResolveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AuctionOptions l1;

    @Option(names = "--window", paramLabel = "N", description = "resolve this window once (it must be in resolution)")
    String window;

    @Option(names = "--even-if-unprofitable", description = "submit even when the gain does not pay for the gas")
    boolean evenIfUnprofitable;

    @Option(names = "--windows", paramLabel = "N", description = "stop after resolving N windows (default: run until Ctrl-C)")
    String windows;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "500ms", description = "L1 poll interval (default 500ms)")
    String poll;

    @Override
    public Integer call() throws InterruptedException {
        long pollMs = AuctionOptions.duration("--poll", poll).toMillis();
        long limit = windows == null ? Long.MAX_VALUE : AuctionOptions.nonNegative("--windows", windows);
        PrintWriter out = spec.commandLine().getOut();
        try (MarketplaceGateway g = l1.connect(true)) {
            Resolver resolver = new Resolver(g, new ExactSolver());
            if (window != null) {
                print(out, resolver.resolve(AuctionOptions.nonNegative("--window", window), !evenIfUnprofitable));
                return 0;
            }
            AuctionSchedule s = g.params().schedule();
            long done = 0;
            long lastResolved = -1;
            while (done < limit && !Thread.currentThread().isInterrupted()) {
                long slot = g.latestSlot();
                long w = s.runningAuction(Math.max(0, slot));
                if (slot >= 0 && w >= 0 && w != lastResolved && s.phaseOf(w, slot) == AuctionPhase.RESOLUTION) {
                    print(out, resolver.resolve(w, !evenIfUnprofitable));
                    lastResolved = w;
                    done++;
                }
                Thread.sleep(pollMs);
            }
            return 0;
        }
    }

    private static void print(PrintWriter out, Resolver.Outcome o) {
        out.println("window " + o.window() + ": allocation " + o.allocation().bidIds() + " revenue " + o.allocation().revenueWei()
                + " wei (on chain " + o.onChainRevenueWei() + " wei, " + o.allocation().nodesExplored() + " search nodes"
                + (o.allocation().provenOptimal() ? "" : ", NOT proven optimal") + "); " + o.reason()
                + (o.gasEstimate() > 0 ? "; estimate " + o.gasEstimate() + " gas, up to " + o.gasCostWei() + " wei" : "")
                + (o.sent() == null ? "" : "; used " + o.sent().gasUsed() + " gas in " + o.sent().txHash()));
        out.flush();
    }
}
