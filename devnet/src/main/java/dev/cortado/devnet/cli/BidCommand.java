package dev.cortado.devnet.cli;

import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.PendingBid;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado bid}: commits a sealed bid (attaching what the free balance lacks for the collateral
 * and commit fee, so no separate deposit is needed), reveals it in the
 * reveal phase by following the slot clock, settles it once the window starts, and optionally
 * withdraws. Salts live in {@code --state-dir}; run the command again after a crash (with or without
 * the bid options) and it carries on, never bidding twice for the same request.
 */
@Command(name = "bid", mixinStandardHelpOptions = true,
        description = "Bid in the sequencing auction: deposit, commit, reveal, settle, withdraw.")
public final class BidCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AuctionOptions l1;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where salts and pending reveals are kept (required)")
    Path stateDir;

    @Option(names = "--window", paramLabel = "N|next", description = "the window to bid for; 'next' is the next one open")
    String window;

    @Option(names = "--bundle", paramLabel = "I,J,..", description = "rollup indexes bid for, e.g. 0,2")
    String bundle;

    @Option(names = "--amount", paramLabel = "WEI", description = "the price offered: 1000, 5gwei, 0.1eth")
    String amount;

    @Option(names = "--collateral", paramLabel = "WEI", description = "locked by the commit (default: the amount plus the marketplace's bond)")
    String collateral;

    @Option(names = "--sequencer", paramLabel = "0xADDR", description = "who sequences the bundle (default: the bidder)")
    String sequencer;

    @Option(names = "--withdraw", description = "after settling, withdraw the whole free balance (waits out the delay)")
    boolean withdraw;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "500ms", description = "L1 poll interval (default 500ms)")
    String poll;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", description = "give up after (default 1h)")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        if (stateDir == null) throw new IllegalArgumentException("missing --state-dir DIR (where the bid's salt is kept)");
        long pollMs = AuctionOptions.duration("--poll", poll).toMillis();
        long timeoutMs = AuctionOptions.duration("--timeout", timeout).toMillis();
        boolean newBid = window != null || bundle != null || amount != null;
        BigInteger bundleBits = null;
        BigInteger amountWei = null;
        BigInteger collateralWei = null;
        if (newBid) {
            if (window == null || bundle == null || amount == null) {
                throw new IllegalArgumentException("a new bid needs --window, --bundle and --amount together");
            }
            bundleBits = AuctionOptions.bundle(bundle);
            amountWei = AuctionOptions.wei("--amount", amount);
            collateralWei = collateral == null ? null : AuctionOptions.wei("--collateral", collateral);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (MarketplaceGateway g = l1.connect(true); BidJournal journal = BidJournal.open(stateDir)) {
            Bidder bidder = new Bidder(g, journal, line -> {
                out.println(line);
                out.flush();
            });
            if (newBid) {
                String seq = sequencer == null ? g.account() : sequencer;
                AuctionSchedule s = g.params().schedule();
                long w = window.equalsIgnoreCase("next") ? s.nextCommitWindow(Math.max(0, g.latestSlot()), 1)
                        : AuctionOptions.nonNegative("--window", window);
                if (!s.auctioned(w)) throw new IllegalArgumentException("window " + w + " is never auctioned");
                // The least collateral a revealable bid can carry (an unrevealable one would forfeit).
                BigInteger locked = collateralWei != null ? collateralWei : amountWei.add(g.params().bidBondWei());
                int i = bidder.prepare(new Bidder.Request(w, bundleBits, amountWei, locked, seq));
                out.println("bid for window " + w + " journaled in " + stateDir + " (entry " + i + "); commit phase starts at slot "
                        + s.commitSlot(w) + ", reveal at " + s.revealSlot(w) + ", window at " + s.windowSlot(w));
                out.flush();
            }
            if (journal.entries().isEmpty()) {
                throw new IllegalArgumentException("the journal in " + stateDir + " is empty: give --window, --bundle and --amount");
            }
            boolean done = bidder.runUntilDone(pollMs, timeoutMs);
            for (PendingBid b : journal.entries()) {
                out.println("window " + b.window() + " bid " + b.bidId() + ": " + b.stage() + (b.note() == null ? "" : " (" + b.note() + ")"));
            }
            if (!done) throw new IllegalStateException("not every bid settled within --timeout " + timeout);
            if (withdraw) bidder.withdrawAll(pollMs);
            out.flush();
            return 0;
        }
    }
}
