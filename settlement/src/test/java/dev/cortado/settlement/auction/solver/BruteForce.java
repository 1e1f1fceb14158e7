package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.List;

/** The reference: the best revenue over every subset of pairwise-disjoint eligible bids, no pruning by value. */
public final class BruteForce {
    private BruteForce() {}

    public static BigInteger bestRevenue(Instance instance) {
        List<RevealedBid> bids = instance.eligibleBids();
        return best(bids, 0, Bundle.EMPTY, BigInteger.ZERO);
    }

    private static BigInteger best(List<RevealedBid> bids, int i, Bundle covered, BigInteger revenue) {
        if (i == bids.size()) return revenue;
        BigInteger without = best(bids, i + 1, covered, revenue);
        RevealedBid b = bids.get(i);
        if (b.bundle().intersects(covered)) return without;
        return without.max(best(bids, i + 1, covered.union(b.bundle()), revenue.add(b.amountWei())));
    }
}
