package dev.cortado.devnet.bench;

import dev.cortado.settlement.auction.BidJournal;
import dev.cortado.settlement.auction.Bidder;
import dev.cortado.settlement.auction.MarketplaceGateway;
import java.math.BigInteger;
import java.util.Random;
import org.web3j.crypto.Credentials;

/**
 * One simulated bidder with private per-rollup values. Each window it bids on two random bundles of
 * 1-3 rollups through the real {@link Bidder}. A bundle is worth the sum of its rollups' values plus
 * 25% per extra rollup (sequencing several rollups together is worth more: atomic cross-rollup
 * blocks). TRUTHFUL bids that value, SHADING bids 80% of it (the usual first-price response).
 */
final class SimulatedBidder implements AutoCloseable {
    enum Strategy { TRUTHFUL, SHADING }

    private final Credentials credentials;
    private final MarketplaceGateway gateway;
    private final BidJournal journal;
    private final Bidder bidder;
    private final Strategy strategy;
    private final BigInteger[] values;
    private int bidsPlaced;
    private int wins;
    private BigInteger paidWei = BigInteger.ZERO;
    private BigInteger valueWonWei = BigInteger.ZERO;

    SimulatedBidder(Credentials credentials, MarketplaceGateway gateway, BidJournal journal, Strategy strategy,
            BigInteger[] values) {
        this.credentials = credentials;
        this.gateway = gateway;
        this.journal = journal;
        this.strategy = strategy;
        this.values = values.clone();
        this.bidder = new Bidder(gateway, journal, line -> { });
    }

    /** Private per-rollup values of 0.002-0.02 ETH. */
    static BigInteger[] valuations(Random random, int rollups) {
        BigInteger[] v = new BigInteger[rollups];
        for (int r = 0; r < rollups; r++) {
            v[r] = AuctionBench.GWEI.multiply(BigInteger.valueOf(2_000_000L + random.nextInt(18_000_000)));
        }
        return v;
    }

    /** What this bidder is worth paying for {@code bundle}. */
    BigInteger valueOf(BigInteger bundle) {
        BigInteger value = BigInteger.ZERO;
        for (int r = 0; r < values.length; r++) {
            if (bundle.testBit(r)) value = value.add(values[r]);
        }
        int extra = bundle.bitCount() - 1;
        return value.multiply(BigInteger.valueOf(100 + 25L * extra)).divide(BigInteger.valueOf(100));
    }

    /** The bid this bidder places on {@code bundle}, rounded down to whole gwei. */
    BigInteger amountFor(BigInteger bundle) {
        BigInteger v = valueOf(bundle);
        if (strategy == Strategy.SHADING) v = v.multiply(BigInteger.valueOf(8)).divide(BigInteger.TEN);
        return v.divide(AuctionBench.GWEI).multiply(AuctionBench.GWEI);
    }

    /** Draws two bundles, journals a bid for each that meets its reserves, and commits them. */
    void bid(long window, Random random, BigInteger[] reserves) {
        for (BigInteger bundle : drawBundles(random, values.length)) {
            BigInteger reserve = BigInteger.ZERO;
            for (int r = 0; r < values.length; r++) {
                if (bundle.testBit(r)) reserve = reserve.add(reserves[r]);
            }
            BigInteger amount = amountFor(bundle);
            if (amount.compareTo(reserve) < 0) continue;
            bidder.prepare(new Bidder.Request(window, bundle, amount, amount.add(AuctionBench.BOND_WEI), credentials.getAddress()));
            bidsPlaced++;
        }
        bidder.step();
    }

    /** Two random bundles of 1-3 distinct rollups each. */
    static BigInteger[] drawBundles(Random random, int rollups) {
        BigInteger[] out = new BigInteger[2];
        for (int k = 0; k < 2; k++) {
            int size = 1 + random.nextInt(3);
            BigInteger bundle = BigInteger.ZERO;
            while (bundle.bitCount() < size) bundle = bundle.setBit(random.nextInt(rollups));
            out[k] = bundle;
        }
        return out;
    }

    void won(BigInteger bundle, BigInteger paid) {
        wins++;
        paidWei = paidWei.add(paid);
        valueWonWei = valueWonWei.add(valueOf(bundle));
    }

    Bidder bidder() {
        return bidder;
    }

    BidJournal journal() {
        return journal;
    }

    MarketplaceGateway gateway() {
        return gateway;
    }

    String account() {
        return credentials.getAddress();
    }

    Strategy strategy() {
        return strategy;
    }

    int bidsPlaced() {
        return bidsPlaced;
    }

    int wins() {
        return wins;
    }

    BigInteger paidWei() {
        return paidWei;
    }

    BigInteger valueWonWei() {
        return valueWonWei;
    }

    @Override
    public void close() {
        journal.close();
        gateway.close();
    }
}
