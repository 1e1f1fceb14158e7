package dev.cortado.devnet.bench;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.contracts.support.Auction;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.auction.AuctionSchedule;
import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import dev.cortado.settlement.auction.Resolver;
import dev.cortado.settlement.auction.solver.Allocation;
import dev.cortado.settlement.auction.solver.BruteForce;
import dev.cortado.settlement.auction.solver.ExactSolver;
import dev.cortado.settlement.auction.solver.GreedySolver;
import dev.cortado.settlement.auction.solver.Instance;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * {@code ./cortado bench auction}: N bidders with private valuations over bundles play M windows on
 * Anvil through the real bidder client, a greedy resolver submits first and the exact resolver
 * improves on it; then the attacks of issue 12 (spam, squatting, selective reveal) are played against
 * the deployed contracts. Writes bench/auction.md and bench/auction.png.
 * System properties: {@code bench.bidders} (6), {@code bench.windows} (10), {@code bench.seed} (1).
 */
public final class AuctionBench {
    static final long SLOT_SECONDS = 12;
    static final int ROLLUPS = 8;
    static final BigInteger GWEI = BigInteger.TEN.pow(9);
    static final BigInteger ETH = BigInteger.TEN.pow(18);

    /** One honest window: the optimum by brute force, what each solver got on chain, gas of the whole window. */
    record WindowRow(long window, int revealedBids, BigInteger optimumWei, BigInteger exactWei, BigInteger greedyWei,
            long windowGas, long exactSubmitGas, long exactNodes) {
    }

    /** Everything the run measured, for the report. */
    record Run(int bidders, int windows, long seed, List<WindowRow> rows, List<AuctionAttacks.AttackRow> attacks, long millis) {
    }

    private AuctionBench() {}

    public static void main(String[] args) throws Exception {
        int bidders = Integer.getInteger("bench.bidders", 6);
        int windows = Integer.getInteger("bench.windows", 10);
        long seed = Long.getLong("bench.seed", 1);
        Path md = Path.of(args.length > 0 ? args[0] : "bench/auction.md");
        if (bidders < 2 || bidders > 6) throw new IllegalArgumentException("bench.bidders must be 2..6 (Anvil's funded accounts)");
        long started = System.currentTimeMillis();
        Run run;
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            run = play(l1, bidders, windows, seed);
        }
        run = new Run(run.bidders(), run.windows(), run.seed(), run.rows(), run.attacks(), System.currentTimeMillis() - started);
        AuctionBenchReport.write(run, md);
        System.out.println("wrote " + md.toAbsolutePath() + " and its plot");
    }

    static Run play(L1Devnet l1, int bidderCount, int windows, long seed) throws Exception {
        Random random = new Random(seed);
        Credentials operator = l1.accounts().get(0);
        String treasury = l1.accounts().get(9).getAddress();
        long genesis = l1.latestTimestampSec();
        var params = Auction.params(genesis, SLOT_SECONDS, 10, 3, 2, 2, 50, 64, 8, treasury);
        var market = SequencingMarketplace.deploy(l1.web3j(), tm(l1, operator), GAS, params).send();
        String address = market.getContractAddress();
        BigInteger[] reserves = new BigInteger[ROLLUPS];
        for (int r = 0; r < ROLLUPS; r++) {
            reserves[r] = GWEI.multiply(BigInteger.valueOf(1_000_000L * (1 + r % 4)));
            String def = String.format("0x%040x", 0xd000 + r);
            String ben = String.format("0x%040x", 0xb000 + r);
            market.registerRollup(BigInteger.valueOf(100 + r), reserves[r], def, ben).send();
        }
        Auction clock = new Auction(l1, genesis, SLOT_SECONDS);
        Path state = Files.createTempDirectory("cortado-auction-bench");
        List<Simulated> bidders = new ArrayList<>();
        for (int i = 0; i < bidderCount; i++) {
            Credentials c = l1.accounts().get(1 + i);
            MarketplaceGateway g = MarketplaceGateway.connect(l1.rpcUrl(), address, c);
            bidders.add(new Simulated(c, g, BidJournal.open(state.resolve("bidder-" + i)), valuations(random)));
        }
        try (MarketplaceGateway exactGw = MarketplaceGateway.connect(l1.rpcUrl(), address, l1.accounts().get(7));
                MarketplaceGateway greedyGw = MarketplaceGateway.connect(l1.rpcUrl(), address, l1.accounts().get(8))) {
            AuctionSchedule s = exactGw.params().schedule();
            Resolver exact = new Resolver(exactGw, new ExactSolver());
            List<WindowRow> rows = new ArrayList<>();
            for (long w = 1; w <= windows; w++) {
                long firstBlock = l1.blockNumber() + 1;
                clock.goToSlot(s.commitSlot(w));
                for (Simulated b : bidders) b.bid(w, random, reserves);
                clock.goToSlot(s.revealSlot(w));
                for (Simulated b : bidders) b.bidder.step();
                clock.goToSlot(s.resolutionSlot(w));
                Instance instance = exact.instanceFor(w);
                BigInteger optimum = BruteForce.bestRevenue(instance);
                Allocation greedy = new GreedySolver().solve(instance);
                long greedyGas = greedy.isEmpty() ? 0 : greedyGw.submitAllocation(w, greedy.bidIds()).gasUsed();
                Resolver.Outcome o = exact.resolve(w, true);
                BigInteger onChain = exactGw.resultOf(w).revenueWei();
                clock.goToSlot(s.windowSlot(w));
                for (Simulated b : bidders) b.bidder.step();
                long gas = gasBetween(l1, firstBlock, l1.blockNumber()) - greedyGas;
                rows.add(new WindowRow(w, instance.bids().size(), optimum, onChain, greedy.revenueWei(), gas,
                        o.sent() == null ? 0 : o.sent().gasUsed(), o.allocation().nodesExplored()));
                System.out.printf("window %d: %d bids, optimum %s, exact %s, greedy %s, %d gas%n", w, instance.bids().size(),
                        optimum, onChain, greedy.revenueWei(), gas);
            }
            List<AuctionAttacks.AttackRow> attacks = new AuctionAttacks(l1, market, clock, s, bidders.stream()
                    .map(b -> b.gateway).toList(), exactGw, treasury, reserves).all(windows + 1);
            return new Run(bidderCount, windows, seed, rows, attacks, 0);
        } finally {
            for (Simulated b : bidders) {
                b.journal.close();
                b.gateway.close();
            }
        }
    }

    /** Gas used by the transactions that {@code senders} sent in blocks {@code from..to}. */
    static long gasSentBy(L1Devnet l1, long from, long to, java.util.Set<String> senders) throws java.io.IOException {
        long sum = 0;
        for (long n = from; n <= to; n++) {
            var block = l1.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), true).send().getBlock();
            for (var t : block.getTransactions()) {
                var tx = (org.web3j.protocol.core.methods.response.Transaction) t.get();
                if (senders.contains(tx.getFrom().toLowerCase(java.util.Locale.ROOT))) {
                    sum += l1.web3j().ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt().orElseThrow()
                            .getGasUsed().longValueExact();
                }
            }
        }
        return sum;
    }

    /** Sum of gasUsed over blocks {@code from..to}. */
    static long gasBetween(L1Devnet l1, long from, long to) throws java.io.IOException {
        long sum = 0;
        for (long n = from; n <= to; n++) {
            sum += l1.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false).send()
                    .getBlock().getGasUsed().longValueExact();
        }
        return sum;
    }

    /** Private per-rollup values of one bidder, in wei. */
    private static BigInteger[] valuations(Random random) {
        BigInteger[] v = new BigInteger[ROLLUPS];
        for (int r = 0; r < ROLLUPS; r++) {
            v[r] = GWEI.multiply(BigInteger.valueOf(2_000_000L + random.nextInt(18_000_000)));
        }
        return v;
    }

    /** A simulated bidder: two bundles a window, valued at the sum of its rollup values plus 25% per extra rollup. */
    static final class Simulated {
        final Credentials credentials;
        final MarketplaceGateway gateway;
        final BidJournal journal;
        final Bidder bidder;
        final BigInteger[] values;

        Simulated(Credentials credentials, MarketplaceGateway gateway, BidJournal journal, BigInteger[] values) {
            this.credentials = credentials;
            this.gateway = gateway;
            this.journal = journal;
            this.values = values;
            this.bidder = new Bidder(gateway, journal, line -> { });
        }

        void bid(long window, Random random, BigInteger[] reserves) {
            for (int k = 0; k < 2; k++) {
                int size = 1 + random.nextInt(3);
                BigInteger bundle = BigInteger.ZERO;
                while (bundle.bitCount() < size) bundle = bundle.setBit(random.nextInt(ROLLUPS));
                BigInteger value = BigInteger.ZERO;
                BigInteger reserve = BigInteger.ZERO;
                for (int r = 0; r < ROLLUPS; r++) {
                    if (bundle.testBit(r)) {
                        value = value.add(values[r]);
                        reserve = reserve.add(reserves[r]);
                    }
                }
                // Synergy for bundles, then shade the bid to 90% of the value (first price).
                value = value.multiply(BigInteger.valueOf(100 + 25L * (size - 1))).divide(BigInteger.valueOf(100));
                BigInteger amount = value.multiply(BigInteger.valueOf(9)).divide(BigInteger.TEN).divide(GWEI).multiply(GWEI);
                if (amount.compareTo(reserve) < 0) continue;
                bidder.prepare(new Bidder.Request(window, bundle, amount, amount, credentials.getAddress()));
            }
            bidder.step();
        }
    }
}
