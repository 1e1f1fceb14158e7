package dev.cortado.devnet.bench;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.Allocation;
import dev.cortado.settlement.auction.solver.BruteForce;
import dev.cortado.settlement.auction.solver.GreedySolver;
import dev.cortado.settlement.auction.solver.ExactSolver;
import dev.cortado.settlement.auction.solver.Instance;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.web3j.crypto.Credentials;

/**
 * {@code ./cortado bench auction}: N simulated bidders with private valuations over bundles play M
 * windows on Anvil through the real bidder client (journal, commit, reveal, settle). Per window a
 * greedy resolver (the Espresso MVP's rule) submits first and the exact resolver improves on it; the
 * optimum comes from brute force. Then the griefing strategies of issue 12 are played against the same
 * deployment ({@link AuctionAttacks}). Writes bench/auction.md and bench/auction.png.
 * System properties: {@code bench.bidders} (6, 2..6), {@code bench.windows} (10), {@code bench.seed} (1).
 */
public final class AuctionBench {
    static final long SLOT_SECONDS = 12;
    /** The calendar: window length, the three auction phases and the finality gap before the window, in slots. */
    static final long SLOTS_PER_WINDOW = 12;
    static final long COMMIT_SLOTS = 3;
    static final long REVEAL_SLOTS = 2;
    static final long RESOLUTION_SLOTS = 2;
    static final long FINALITY_SLOTS = 2;
    static final int ROLLUPS = 8;
    static final BigInteger GWEI = BigInteger.TEN.pow(9);
    static final BigInteger ETH = BigInteger.TEN.pow(18);
    /** The devnet's marketplace settings (DeployConfig.devnetDefaults): 256 bids, 0.001 ETH bond, 0.0001 ETH fee. */
    static final int MAX_BIDS = 256;
    static final BigInteger BOND_WEI = ETH.divide(BigInteger.valueOf(1_000));
    static final BigInteger COMMIT_FEE_WEI = ETH.divide(BigInteger.valueOf(10_000));

    /** One honest window: the optimum by brute force, what each solver got, gas of the whole window. */
    record WindowRow(long window, int revealedBids, BigInteger optimumWei, BigInteger exactWei, BigInteger greedyWei,
            long windowGas, Map<GasLedger.Op, GasLedger.Sum> gasByOp, long exactNodes) {
    }

    /** Per bidding strategy over all windows: bids placed and won, price paid, value won. */
    record StrategyRow(SimulatedBidder.Strategy strategy, int bidders, int bids, int wins, BigInteger paidWei,
            BigInteger valueWonWei) {
    }

    /** Everything the run measured, for the report. */
    record Run(int bidders, int windows, long seed, List<WindowRow> rows, List<StrategyRow> strategies,
            List<AuctionAttacks.AttackRow> attacks, long millis) {
    }

    private AuctionBench() {}

    public static void main(String[] args) throws Exception {
        int bidders = Integer.getInteger("bench.bidders", 6);
        int windows = Integer.getInteger("bench.windows", 10);
        long seed = Long.getLong("bench.seed", 1);
        Path md = Path.of(args.length > 0 ? args[0] : "bench/auction.md");
        if (bidders < 2 || bidders > 6) throw new IllegalArgumentException("bench.bidders must be 2..6 (Anvil's funded accounts)");
        if (windows < 1 || windows > 100) throw new IllegalArgumentException("bench.windows must be 1..100");
        long started = System.nanoTime();
        Run run;
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            run = play(l1, bidders, windows, seed);
        }
        run = new Run(run.bidders(), run.windows(), run.seed(), run.rows(), run.strategies(), run.attacks(),
                (System.nanoTime() - started) / 1_000_000);
        AuctionBenchReport.write(run, md);
        System.out.println("wrote " + md.toAbsolutePath() + " and its plot");
    }

    /** Deploys a marketplace with {@link #ROLLUPS} rollups, plays the honest windows, then the attacks. */
    static Run play(L1Devnet l1, int bidderCount, int windows, long seed) throws Exception {
        Random random = new Random(seed);
        Credentials registrar = l1.accounts().get(0);
        String treasury = l1.accounts().get(9).getAddress();
        long genesis = l1.latestTimestampSec();
        var params = Auction.params(genesis, SLOT_SECONDS, SLOTS_PER_WINDOW, COMMIT_SLOTS, REVEAL_SLOTS, RESOLUTION_SLOTS,
                FINALITY_SLOTS, 50, MAX_BIDS, BOND_WEI.longValueExact(),
                COMMIT_FEE_WEI.longValueExact(), treasury);
        var market = SequencingMarketplace.deploy(l1.web3j(), tm(l1, registrar), GAS, params, registrar.getAddress()).send();
        String address = market.getContractAddress();
        BigInteger[] reserves = new BigInteger[ROLLUPS];
        for (int r = 0; r < ROLLUPS; r++) {
            reserves[r] = GWEI.multiply(BigInteger.valueOf(1_000_000L * (1 + r % 4)));
            ok(market.registerRollup(BigInteger.valueOf(100 + r), registrar.getAddress(), reserves[r],
                    String.format("0x%040x", 0xd000 + r), String.format("0x%040x", 0xb000 + r)));
        }
        Auction clock = new Auction(l1, genesis, SLOT_SECONDS);
        Path state = Files.createTempDirectory("cortado-auction-bench");
        List<SimulatedBidder> bidders = new ArrayList<>();
        for (int i = 0; i < bidderCount; i++) {
            Credentials c = l1.accounts().get(1 + i);
            // Even-numbered bidders bid their value (truthful), odd ones shade it (first price).
            SimulatedBidder.Strategy strategy = i % 2 == 0 ? SimulatedBidder.Strategy.TRUTHFUL : SimulatedBidder.Strategy.SHADING;
            bidders.add(new SimulatedBidder(c, MarketplaceGateway.connect(l1.rpcUrl(), address, c),
                    BidJournal.open(state.resolve("bidder-" + i)), strategy, SimulatedBidder.valuations(random, ROLLUPS)));
        }
        GasLedger ledger = new GasLedger(l1, market);
        try (MarketplaceGateway exactGw = MarketplaceGateway.connect(l1.rpcUrl(), address, l1.accounts().get(7));
                MarketplaceGateway greedyGw = MarketplaceGateway.connect(l1.rpcUrl(), address, l1.accounts().get(8))) {
            AuctionSchedule s = exactGw.params().schedule();
            Resolver exact = new Resolver(exactGw, new ExactSolver());
            List<WindowRow> rows = new ArrayList<>();
            for (long w = 1; w <= windows; w++) {
                long firstBlock = l1.blockNumber() + 1;
                clock.goToSlot(s.commitSlot(w));
                for (SimulatedBidder b : bidders) b.bid(w, random, reserves);
                clock.goToSlot(s.revealSlot(w));
                for (SimulatedBidder b : bidders) b.bidder().step();
                clock.goToSlot(s.resolutionSlot(w));
                Instance instance = exact.instanceFor(w);
                BigInteger optimum = BruteForce.bestRevenue(instance);
                Allocation greedy = new GreedySolver().solve(instance);
                if (!greedy.isEmpty()) greedyGw.submitAllocation(w, greedy.bidIds());
                Resolver.Outcome o = exact.resolve(w, true);
                // A failed submission would leave greedy's allocation on chain, reported as exact's.
                if (o.failed()) throw new IllegalStateException("window " + w + ": " + o.reason());
                BigInteger onChain = exactGw.resultOf(w).revenueWei();
                clock.goToSlot(s.windowSlot(w));
                for (SimulatedBidder b : bidders) b.bidder().step();
                // The greedy submission is the comparison's, not part of running the auction.
                Map<GasLedger.Op, GasLedger.Sum> byOp = ledger.between(firstBlock, l1.blockNumber(),
                        greedyGw.account());
                long gas = byOp.values().stream().mapToLong(GasLedger.Sum::gas).sum();
                rows.add(new WindowRow(w, instance.bids().size(), optimum, onChain, greedy.revenueWei(), gas, byOp,
                        o.allocation().nodesExplored()));
                recordWins(exactGw, w, bidders);
                System.out.printf("window %d: %d bids, optimum %s, exact %s, greedy %s, %d gas%n", w,
                        instance.bids().size(), optimum, onChain, greedy.revenueWei(), gas);
            }
            List<StrategyRow> strategies = strategies(bidders);
            AuctionAttacks attacks = new AuctionAttacks(l1, market, clock, s, bidders, exactGw, treasury, reserves);
            return new Run(bidderCount, windows, seed, rows, strategies, attacks.all(windows + 1), 0);
        } finally {
            for (SimulatedBidder b : bidders) b.close();
        }
    }

    /** Credits each winning bid of the final allocation of {@code window} to the bidder that placed it. */
    private static void recordWins(MarketplaceGateway gw, long window, List<SimulatedBidder> bidders) {
        for (int id : gw.resultOf(window).bidIds()) {
            BidView b = gw.bidOf(window, id);
            for (SimulatedBidder s : bidders) {
                if (s.account().equalsIgnoreCase(b.bidder())) s.won(b.bundleBits(), b.amountWei());
            }
        }
    }

    private static List<StrategyRow> strategies(List<SimulatedBidder> bidders) {
        Map<SimulatedBidder.Strategy, StrategyRow> rows = new EnumMap<>(SimulatedBidder.Strategy.class);
        for (SimulatedBidder b : bidders) {
            rows.merge(b.strategy(), new StrategyRow(b.strategy(), 1, b.bidsPlaced(), b.wins(), b.paidWei(), b.valueWonWei()),
                    (x, y) -> new StrategyRow(x.strategy(), x.bidders() + y.bidders(), x.bids() + y.bids(),
                            x.wins() + y.wins(), x.paidWei().add(y.paidWei()), x.valueWonWei().add(y.valueWonWei())));
        }
        return List.copyOf(rows.values());
    }
}
