package dev.cortado.devnet.run;

import dev.cortado.settlement.auction.AuctionPhase;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.AuctionViews.ResultView;
import dev.cortado.settlement.auction.AuctionViews.RollupTerms;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.ResolutionLoop;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;

/**
 * The auction half of the story: three demo rollups registered on L1 with different reserves and default
 * sequencers, demo bidders who bid every window through the same {@link Bidder} and {@link BidJournal} as
 * {@code cortado bid}, and a resolver running {@link ResolutionLoop} as {@code cortado resolve} does (every poll of a resolution
 * phase, so a failed or overtaken submission is tried again). One thread
 * steps them every poll and keeps a short record of each window for the terminal and the dashboard.
 */
public final class DemoMarket implements AutoCloseable {
    /** A demo rollup: its name, namespace and reserve price per window. */
    public record DemoRollup(String name, long namespace, BigInteger reserveWei) {
    }

    /** A demo bidder: the rollup indexes it wants together and what that bundle is worth to it per window. */
    public record DemoBidder(String name, List<Integer> bundle, BigInteger valuationWei) {
    }

    private static final BigInteger MILLI_ETH = BigInteger.TEN.pow(15);
    public static final List<DemoRollup> ROLLUPS = List.of(
            new DemoRollup("alpha", 20_001, MILLI_ETH.multiply(BigInteger.valueOf(4))),
            new DemoRollup("beta", 20_002, MILLI_ETH.multiply(BigInteger.valueOf(2))),
            new DemoRollup("gamma", 20_003, MILLI_ETH.multiply(BigInteger.valueOf(6))));
    /** The swapper wants alpha and beta together (its users swap across them); the others want one rollup each. */
    public static final List<DemoBidder> BIDDERS = List.of(
            new DemoBidder("swapper", List.of(0, 1), MILLI_ETH.multiply(BigInteger.valueOf(16))),
            new DemoBidder("alpha-only", List.of(0), MILLI_ETH.multiply(BigInteger.valueOf(12))),
            new DemoBidder("gamma-only", List.of(2), MILLI_ETH.multiply(BigInteger.valueOf(9))));
    /** L1 accounts after the deployer and the most validators a devnet has: bidders, default sequencers, resolver, beneficiaries. */
    static final int FIRST_ACCOUNT = 1 + DevnetConfig.MAX_NODES;
    static final int DEFAULT_SEQUENCER_ACCOUNT = FIRST_ACCOUNT + BIDDERS.size();
    static final int RESOLVER_ACCOUNT = DEFAULT_SEQUENCER_ACCOUNT + ROLLUPS.size();
    static final int BENEFICIARY_ACCOUNT = RESOLVER_ACCOUNT + 1;
    /** How many funded accounts the L1 needs for the story. */
    public static final int ACCOUNTS = BENEFICIARY_ACCOUNT + ROLLUPS.size();
    private static final int WINDOWS_KEPT = 6;

    /** One bid of a window as L1 holds it. */
    public record BidRow(String bidder, int bidId, String bundle, String amountWei, boolean revealed, boolean won) {
    }

    /** Who holds a rollup in a window, and what the rollup has earned so far (its beneficiary's proceeds on L1). */
    public record HolderRow(String rollup, long namespace, String reserveWei, String holder, String holderAddress,
            String proceedsWei) {
    }

    /** A window as the story saw it last: schedule, bids, the best allocation's revenue, holders once final. */
    public record WindowRow(long window, String phase, long commitSlot, long revealSlot, long resolutionSlot, long windowSlot,
            List<BidRow> bids, String revenueWei, List<HolderRow> holders, boolean silent, String resolver) {
    }

    private final MarketplaceGateway registrar;
    private final List<MarketplaceGateway> bidderGateways = new ArrayList<>();
    private final List<BidJournal> journals = new ArrayList<>();
    private final List<Bidder> bidders = new ArrayList<>();
    private final MarketplaceGateway resolverGateway;
    private final ResolutionLoop resolution;
    private final List<String> beneficiaries;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final int silenceEveryWindows;
    private final Consumer<String> log;
    private final Random jitter = new Random(7);
    private final List<Set<Long>> prepared = new ArrayList<>();
    private final Map<Long, WindowRow> windows = new LinkedHashMap<>();
    private final Map<Long, String> resolverNotes = new LinkedHashMap<>();
    // One thread per bidder (each waits for its own receipts, and a commit phase is only a few slots long) and one
    // for the resolver and the window records.
    private final ScheduledExecutorService thread = Executors.newScheduledThreadPool(1 + BIDDERS.size(), r -> {
        Thread t = new Thread(r, "devnet-demo-market");
        t.setDaemon(true);
        return t;
    });
    private volatile long slot = -1;
    private volatile long firstWindow = Long.MAX_VALUE;
    private volatile String lastProblem = "";

    private DemoMarket(String rpcUrl, String marketplace, List<Credentials> accounts, int bidderCount, int silenceEveryWindows,
            Path stateDir, Consumer<String> log) {
        this.silenceEveryWindows = silenceEveryWindows;
        this.log = log;
        registrar = MarketplaceGateway.connect(rpcUrl, marketplace, accounts.get(0));
        for (int i = 0; i < bidderCount; i++) {
            Credentials c = accounts.get(FIRST_ACCOUNT + i);
            MarketplaceGateway g = MarketplaceGateway.connect(rpcUrl, marketplace, c);
            bidderGateways.add(g);
            BidJournal journal = BidJournal.open(stateDir.resolve(BIDDERS.get(i).name()));
            journals.add(journal);
            String name = BIDDERS.get(i).name();
            bidders.add(new Bidder(g, journal, line -> { }));
            prepared.add(new HashSet<>());
            names.put(c.getAddress().toLowerCase(Locale.ROOT), name);
        }
        for (int i = 0; i < ROLLUPS.size(); i++) {
            names.put(accounts.get(DEFAULT_SEQUENCER_ACCOUNT + i).getAddress().toLowerCase(Locale.ROOT),
                    "default (" + ROLLUPS.get(i).name() + ")");
        }
        resolverGateway = MarketplaceGateway.connect(rpcUrl, marketplace, accounts.get(RESOLVER_ACCOUNT));
        resolution = new ResolutionLoop(new Resolver(resolverGateway, new ExactSolver()), resolverGateway.params().schedule(), true,
                log);
        beneficiaries = new ArrayList<>();
        for (int i = 0; i < ROLLUPS.size(); i++) beneficiaries.add(accounts.get(BENEFICIARY_ACCOUNT + i).getAddress());
    }

    /**
     * Registers the demo rollups with the deployer (the registrar), then starts bidding and resolving every
     * {@code pollMs}. Bidder journals live under {@code stateDir}.
     */
    public static DemoMarket start(String rpcUrl, String marketplace, List<Credentials> accounts, int bidderCount,
            int silenceEveryWindows, Path stateDir, long pollMs, Consumer<String> log) {
        if (accounts.size() < ACCOUNTS) {
            throw new IllegalArgumentException("the market story needs " + ACCOUNTS + " funded L1 accounts, the L1 has " + accounts.size());
        }
        DemoMarket m = new DemoMarket(rpcUrl, marketplace, accounts, bidderCount, silenceEveryWindows, stateDir, log);
        try {
            for (int i = 0; i < ROLLUPS.size(); i++) {
                DemoRollup r = ROLLUPS.get(i);
                String defaultSequencer = accounts.get(DEFAULT_SEQUENCER_ACCOUNT + i).getAddress();
                int index = m.registrar.registerRollup(r.namespace(), m.beneficiaries.get(i), r.reserveWei(), defaultSequencer,
                        m.beneficiaries.get(i));
                if (index != i) throw new IllegalStateException("rollup " + r.name() + " got index " + index + ", expected " + i);
            }
            m.firstWindow = firstCommonWindow(m.registrar.rollupsFor(0));
            AuctionSchedule schedule = m.registrar.params().schedule();
            log.accept("demo market: rollups " + String.join(", ", ROLLUPS.stream().map(DemoRollup::name).toList())
                    + " are all auctioned from window " + m.firstWindow + " (its commit phase opens at slot "
                    + schedule.commitSlot(m.firstWindow) + "); bidding starts there");
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        m.thread.scheduleWithFixedDelay(m::tick, 0, pollMs, TimeUnit.MILLISECONDS);
        for (int i = 0; i < m.bidders.size(); i++) {
            int bidder = i;
            m.thread.scheduleWithFixedDelay(() -> m.bidderTick(bidder), 0, pollMs, TimeUnit.MILLISECONDS);
        }
        return m;
    }

    /**
     * Each registration takes effect from the first window whose commit phase had not started when it was
     * mined, so registrations sent one after another can straddle a commit phase's first slot and leave the
     * earlier window with only some of the demo rollups. The story starts at the first window that holds all.
     */
    static long firstCommonWindow(List<RollupTerms> demoRollups) {
        long first = 0;
        for (int i = 0; i < ROLLUPS.size(); i++) first = Math.max(first, demoRollups.get(i).firstWindow());
        return first;
    }

    /** The first window auctioned with every demo rollup in it; the bidders bid from there on. */
    public long firstWindow() {
        return firstWindow;
    }

    /** True when the story makes the winner of {@code window} fall silent on purpose. */
    public boolean silent(long window) {
        return silenceEveryWindows > 0 && window > 0 && window % silenceEveryWindows == 0;
    }

    /** The address → demo name map (bidders and default sequencers). */
    public Map<String, String> names() {
        return Map.copyOf(names);
    }

    public String nameOf(String address) {
        if (address == null || address.matches("0x0{40}")) return "unregistered"; // no index in that window
        return names.getOrDefault(address.toLowerCase(Locale.ROOT), address);
    }

    /** The slot of the L1's latest block, as the last tick read it. */
    public long slot() {
        return slot;
    }

    public AuctionSchedule schedule() {
        return registrar.params().schedule();
    }

    /** The recent windows, oldest first. */
    public synchronized List<WindowRow> windows() {
        return List.copyOf(windows.values());
    }

    public synchronized WindowRow window(long w) {
        return windows.get(w);
    }

    public String lastProblem() {
        return lastProblem;
    }

    private void tick() {
        try {
            long s = registrar.latestSlot();
            slot = s;
            if (s < 0) return;
            AuctionSchedule schedule = registrar.params().schedule();
            resolution.poll(s).ifPresent(o -> {
                // The dashboard keeps a window's submission rather than the "as good" of the polls after it.
                resolverNotes.compute(o.window(), (w, old) -> o.submitted() || old == null || !old.startsWith("submitted")
                        ? o.reason() : old);
                resolverNotes.keySet().removeIf(w -> w < o.window() - WINDOWS_KEPT);
            });
            long current = schedule.windowOf(s);
            // Up to the latest auction opened: with the finality gap it can be two windows ahead.
            long last = Math.max(current + 1, schedule.runningAuction(s));
            for (long w = Math.max(0, current - 2); w <= last; w++) refresh(w, s, schedule);
            lastProblem = "";
        } catch (RuntimeException e) {
            // L1 hiccups (a reverted call, a timeout) are reported and retried on the next tick.
            lastProblem = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            log.accept("demo market: " + lastProblem);
        }
    }

    /** Bidder {@code i}: a bid for each window as its commit phase opens, then every journal step. */
    private void bidderTick(int i) {
        try {
            MarketplaceGateway g = bidderGateways.get(i);
            long s = g.latestSlot();
            if (s < 0) return;
            AuctionSchedule schedule = g.params().schedule();
            long next = schedule.nextCommitWindow(s, 1);
            Set<Long> done = prepared.get(i);
            // Not before firstWindow: an earlier window holds only some of the demo rollups.
            if (next >= firstWindow && schedule.auctioned(next) && schedule.phaseOf(next, s) == AuctionPhase.COMMIT
                    && done.add(next)) {
                bid(i, next);
                done.removeIf(w -> w < next - WINDOWS_KEPT);
            }
            bidders.get(i).step();
        } catch (RuntimeException e) {
            lastProblem = BIDDERS.get(i).name() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            log.accept("demo market: " + lastProblem);
        }
    }

    /** A bid worth the bidder's valuation give or take 40 %, so winners change from window to window. */
    private void bid(int i, long window) {
        DemoBidder d = BIDDERS.get(i);
        BigInteger reserves = BigInteger.ZERO;
        BigInteger bits = BigInteger.ZERO;
        for (int r : d.bundle()) {
            bits = bits.setBit(r);
            reserves = reserves.add(ROLLUPS.get(r).reserveWei());
        }
        BigInteger amount = d.valuationWei().multiply(BigInteger.valueOf(60 + jitter.nextInt(81))).divide(BigInteger.valueOf(100));
        if (amount.compareTo(reserves) < 0) amount = reserves;
        MarketplaceGateway g = bidderGateways.get(i);
        BigInteger collateral = amount.add(g.params().bidBondWei());
        bidders.get(i).prepare(new Bidder.Request(window, bits, amount, collateral, g.account()));
    }

    private void refresh(long w, long s, AuctionSchedule schedule) {
        WindowRow old;
        synchronized (this) {
            old = windows.get(w);
        }
        AuctionPhase phase = schedule.phaseOf(w, s);
        // A final window's bids and holders no longer change, except the proceeds once its winners settle.
        if (old != null && old.phase().equals(AuctionPhase.FINAL.name()) && !old.holders().isEmpty() && w < schedule.windowOf(s)) {
            return;
        }
        List<BidRow> bids = new ArrayList<>();
        ResultView result = schedule.auctioned(w) ? registrar.resultOf(w) : new ResultView(BigInteger.ZERO, List.of(), false);
        if (schedule.auctioned(w)) {
            for (BidView b : registrar.bidsOf(w)) {
                bids.add(new BidRow(nameOf(b.bidder()), b.bidId(), b.revealed() ? bundleNames(b.bundleBits()) : "sealed",
                        b.revealed() ? b.amountWei().toString() : "", b.revealed(), result.bidIds().contains(b.bidId())));
            }
        }
        List<HolderRow> holders = new ArrayList<>();
        if (phase == AuctionPhase.FINAL) {
            for (int i = 0; i < ROLLUPS.size(); i++) {
                DemoRollup r = ROLLUPS.get(i);
                String holder = registrar.winnerOf(w, r.namespace());
                holders.add(new HolderRow(r.name(), r.namespace(), r.reserveWei().toString(), nameOf(holder), holder,
                        registrar.proceedsOf(beneficiaries.get(i)).toString()));
            }
        }
        WindowRow row = new WindowRow(w, phase.name(), schedule.commitSlot(w), schedule.revealSlot(w),
                schedule.resolutionSlot(w), schedule.windowSlot(w), bids, result.revenueWei().toString(), holders,
                silent(w) && holders.stream().anyMatch(h -> isBidder(h.holder())),
                resolverNotes.getOrDefault(w, ""));
        synchronized (this) {
            windows.put(w, row);
            windows.keySet().removeIf(k -> k < w - WINDOWS_KEPT);
        }
    }

    /** True for a demo bidder's name (the holder of a sold rollup), false for a default sequencer or nobody. */
    public static boolean isBidder(String name) {
        return BIDDERS.stream().anyMatch(b -> b.name().equals(name));
    }

    private static String bundleNames(BigInteger bits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bits.bitLength(); i++) {
            if (bits.testBit(i)) out.add(i < ROLLUPS.size() ? ROLLUPS.get(i).name() : "#" + i);
        }
        return String.join("+", out);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (BidJournal j : journals) j.close();
        for (MarketplaceGateway g : bidderGateways) g.close();
        resolverGateway.close();
        registrar.close();
    }
}
