package dev.cortado.devnet.cli;

import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.ResolutionLoop;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado resolve}: computes the revenue-maximising allocation of a window's revealed bids and
 * submits it when it beats the on-chain best and its revenue gain pays for the gas. Without
 * {@code --window} it follows the slot clock and, on every poll of a window's resolution phase, submits
 * again while the exact optimum beats the chain's best (a failed or overtaken submission is retried; one
 * already best is not resent), never once the phase is over.
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

    @Option(names = "--windows", paramLabel = "N", description = "stop after the resolution phases of N windows (default: run until Ctrl-C)")
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
                Resolver.Outcome o = resolver.resolve(AuctionOptions.nonNegative("--window", window), !evenIfUnprofitable);
                print(out, o);
                return o.failed() ? 1 : 0;
            }
            AuctionSchedule schedule = g.params().schedule();
            PrintWriter err = spec.commandLine().getErr();
            ResolutionLoop loop = new ResolutionLoop(resolver, schedule, !evenIfUnprofitable, line -> {
                err.println(line);
                err.flush();
            });
            // A window counts as done once its resolution phase is over, not at its first attempt: until then a
            // failed or overtaken submission is tried again.
            long done = 0;
            long open = -1;
            while (done < limit && !Thread.currentThread().isInterrupted()) {
                long slot = g.latestSlot();
                if (open >= 0 && slot >= schedule.finalSlot(open)) {
                    done++;
                    open = -1;
                }
                Optional<Resolver.Outcome> o = loop.poll(slot);
                if (o.isPresent() && o.get().window() != open) {
                    if (open >= 0) done++;
                    open = o.get().window();
                }
                o.ifPresent(x -> printChanged(out, x));
                Thread.sleep(pollMs);
            }
            return 0;
        }
    }

    private String lastPrinted = "";

    /** Every submission and failure, and an unchanged verdict only once per window. */
    private void printChanged(PrintWriter out, Resolver.Outcome o) {
        String key = o.window() + ":" + o.reason();
        if (o.submitted() || o.failed() || !key.equals(lastPrinted)) print(out, o);
        lastPrinted = key;
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
