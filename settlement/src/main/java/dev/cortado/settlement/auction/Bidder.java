package dev.cortado.settlement.auction;

import dev.cortado.settlement.auction.AuctionViews.MarketParams;
import dev.cortado.settlement.auction.BidderRules.Action;
import dev.cortado.settlement.auction.PendingBid.Stage;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The bidder's driver: it applies {@link BidderRules} to every journal entry against the slot clock
 * of the L1's latest block, doing the I/O through {@link MarketplaceGateway} and recording each step
 * in the {@link BidJournal} before the step's transaction leaves. Killed at any point, a new Bidder on
 * the same journal picks up where the old one stopped.
 */
public final class Bidder {
    /**
     * A bid to place.
     *
     * @param window the window bid for
     * @param bundleBits the rollup bitmap
     * @param amountWei the price offered
     * @param collateralWei locked by the commit (at least the amount; what the contract asks beyond that is its rule)
     * @param sequencer who sequences the bundle if it wins
     */
    public record Request(long window, BigInteger bundleBits, BigInteger amountWei, BigInteger collateralWei, String sequencer) {
        public Request {
            Objects.requireNonNull(bundleBits, "bundleBits");
            Objects.requireNonNull(sequencer, "sequencer");
            if (bundleBits.signum() <= 0 || bundleBits.bitLength() > 256) {
                throw new IllegalArgumentException("the bundle must name at least one rollup index 0..255");
            }
            if (amountWei.signum() < 0 || amountWei.bitLength() > 96) {
                throw new IllegalArgumentException("the amount must be 0..2^96-1 wei, got " + amountWei);
            }
            if (collateralWei.compareTo(amountWei) < 0 || collateralWei.bitLength() > 96) {
                throw new IllegalArgumentException("the collateral (" + collateralWei + " wei) must cover the amount ("
                        + amountWei + " wei) and fit in 96 bits");
            }
            if (!sequencer.matches("0x[0-9a-fA-F]{40}") || sequencer.matches("0x0{40}")) {
                throw new IllegalArgumentException("the sequencer must be a non-zero address (0x + 40 hex digits), got " + sequencer);
            }
        }
    }

    private final MarketplaceGateway gateway;
    private final BidJournal journal;
    private final Consumer<String> log;
    private final SecureRandom random = new SecureRandom();

    public Bidder(MarketplaceGateway gateway, BidJournal journal, Consumer<String> log) {
        this.gateway = gateway;
        this.journal = journal;
        this.log = log;
    }

    /**
     * Journals {@code r} with a fresh salt (durably, before anything is signed) and returns its journal
     * index; the same request again returns the existing entry, so rerunning a command never bids twice.
     */
    public int prepare(Request r) {
        List<PendingBid> entries = journal.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).sameRequest(r.window(), r.bundleBits(), r.amountWei(), r.sequencer())) {
                log.accept("bid for window " + r.window() + " is already in the journal (" + entries.get(i).stage() + ")");
                return i;
            }
        }
        BigInteger bond = gateway.params().bidBondWei();
        if (r.collateralWei().compareTo(r.amountWei().add(bond)) < 0) {
            // The contract refuses such a reveal, and an unrevealed bid forfeits its collateral.
            throw new IllegalArgumentException("the collateral (" + r.collateralWei() + " wei) must cover the amount ("
                    + r.amountWei() + " wei) plus the marketplace's bond (" + bond + " wei)");
        }
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        byte[] commitment = gateway.bidCommitment(r.window(), gateway.account(), r.bundleBits(), r.amountWei(), r.sequencer(),
                salt);
        return journal.add(new PendingBid(r.window(), r.bundleBits(), r.amountWei(), r.collateralWei(), r.sequencer(),
                hex(salt), hex(commitment), null, -1, Stage.PREPARED, null));
    }

    /** One pass over the journal; true when every entry is settled or abandoned. */
    public boolean step() {
        MarketParams p = gateway.params();
        long slot = gateway.latestSlot();
        boolean allDone = true;
        List<PendingBid> entries = journal.entries();
        for (int i = 0; i < entries.size(); i++) {
            PendingBid bid = entries.get(i);
            if (bid.done()) continue;
            allDone = false;
            AuctionSchedule s = p.schedule();
            AuctionPhase phase = slot < 0 ? AuctionPhase.NOT_OPEN : s.phaseOf(bid.window(), slot);
            long left = switch (phase) {
                case COMMIT -> s.revealSlot(bid.window()) - slot;
                case REVEAL -> s.resolutionSlot(bid.window()) - slot;
                default -> 0;
            };
            try {
                apply(i, bid, BidderRules.next(bid, phase, left));
            } catch (MarketplaceRevertException | L1Exception e) {
                log.accept("window " + bid.window() + ": " + e.getMessage() + " (retrying)");
            }
        }
        return allDone;
    }

    /** Steps every {@code pollMs} until the journal is done or {@code timeoutMs} passed; true when done. */
    public boolean runUntilDone(long pollMs, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!step()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(pollMs);
        }
        return true;
    }

    private void apply(int i, PendingBid bid, Action action) {
        switch (action) {
            case Action.Nothing n -> { }
            case Action.Wait w -> { }
            case Action.Abandon a -> {
                journal.update(i, b -> b.abandoned(a.reason()));
                log.accept("window " + bid.window() + ": abandoned, " + a.reason());
            }
            case Action.Commit c -> commit(i, bid);
            case Action.CheckCommit c -> checkCommit(i, bid);
            case Action.Reveal r -> reveal(i, bid);
            case Action.Settle s -> settle(i, bid);
        }
    }

    private void commit(int i, PendingBid bid) {
        // The commit fee grows with the window's bid count; read it just before committing. What the
        // free balance lacks rides on the commit itself (no deposit transaction); attaching exactly
        // collateral + fee is the contract's cheapest path, as it leaves the free balance untouched.
        BigInteger needed = bid.collateralWei().add(gateway.commitFeeOf(gateway.bidCount(bid.window())));
        BigInteger attached = needed.subtract(gateway.freeBalanceOf(gateway.account())).max(BigInteger.ZERO);
        long id;
        try {
            id = gateway.commitBid(bid.window(), unhex(bid.commitmentHex()), bid.collateralWei(), attached,
                    txHash -> journal.update(i, b -> b.sent(txHash)));
        } catch (MarketplaceRevertException e) {
            if (journal.entries().get(i).stage() == Stage.PREPARED) {
                // Refused in simulation: nothing was signed, nothing is locked.
                journal.update(i, b -> b.abandoned(e.getMessage()));
                log.accept("window " + bid.window() + ": commit refused, " + e.getMessage());
                return;
            }
            throw e;
        }
        journal.update(i, b -> b.committed(id));
        log.accept("window " + bid.window() + ": committed bid " + id + " (collateral " + bid.collateralWei() + " wei"
                + (attached.signum() > 0 ? ", " + attached + " wei attached" : "") + ")");
    }

    private void checkCommit(int i, PendingBid bid) {
        var id = gateway.committedBidId(bid.commitTxHash());
        if (id.isPresent()) {
            journal.update(i, b -> b.committed(id.get()));
            log.accept("window " + bid.window() + ": commit " + bid.commitTxHash() + " is on L1 as bid " + id.get());
        } else if (gateway.minedAndReverted(bid.commitTxHash())) {
            // Mined but reverted (e.g. it landed in the next phase after a passing simulation): nothing
            // is locked, so sign again while the commit phase lasts (the rules abandon it after that).
            journal.update(i, b -> b.withStage(Stage.PREPARED));
            log.accept("window " + bid.window() + ": commit " + bid.commitTxHash() + " reverted on L1 (nothing locked); "
                    + "signing again");
        } else if (!gateway.knows(bid.commitTxHash())) {
            // Signed but never delivered (killed in between): sign again while the commit phase lasts.
            journal.update(i, b -> b.withStage(Stage.PREPARED));
            log.accept("window " + bid.window() + ": commit " + bid.commitTxHash() + " never reached L1; signing again");
        }
    }

    private void reveal(int i, PendingBid bid) {
        try {
            var sent = gateway.revealBid(bid.window(), bid.bidId(), bid.bundleBits(), bid.amountWei(), bid.sequencer(),
                    unhex(bid.saltHex()));
            log.accept("window " + bid.window() + ": revealed bid " + bid.bidId() + " (" + sent.gasUsed() + " gas)");
        } catch (MarketplaceRevertException e) {
            if (!e.error().startsWith("SequencingMarketplace__AlreadyRevealed")) throw e;
            log.accept("window " + bid.window() + ": bid " + bid.bidId() + " was already revealed");
        }
        journal.update(i, b -> b.withStage(Stage.REVEALED));
    }

    private void settle(int i, PendingBid bid) {
        try {
            gateway.settleBid(bid.window(), bid.bidId());
        } catch (MarketplaceRevertException e) {
            if (!e.error().startsWith("SequencingMarketplace__AlreadySettled")) throw e;
        }
        var view = gateway.bidOf(bid.window(), (int) bid.bidId());
        journal.update(i, b -> b.withStage(Stage.SETTLED));
        log.accept("window " + bid.window() + ": settled bid " + bid.bidId() + (view.revealed() ? "" : " (unrevealed: forfeit)"));
    }

    /** Moves the whole free balance to a withdrawal, waits out the delay and withdraws; returns the amount. */
    public BigInteger withdrawAll(long pollMs) throws InterruptedException {
        BigInteger free = gateway.freeBalanceOf(gateway.account());
        if (free.signum() > 0) gateway.requestWithdrawal(free);
        BigInteger pending = gateway.pendingWithdrawalOf(gateway.account());
        if (pending.signum() == 0) return BigInteger.ZERO;
        while (true) {
            try {
                gateway.withdraw();
                log.accept("withdrew " + pending + " wei");
                return pending;
            } catch (MarketplaceRevertException e) {
                if (!e.error().startsWith("SequencingMarketplace__WithdrawalLocked")) throw e;
                Thread.sleep(pollMs);
            }
        }
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.substring(2));
    }
}
