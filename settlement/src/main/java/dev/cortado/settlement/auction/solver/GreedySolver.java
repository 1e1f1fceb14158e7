package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Espresso marketplace MVP's approach: take eligible bids from the highest amount down (ties by the
 * lower id) and keep each one that does not overlap what was already taken. Fast and simple, but it
 * loses revenue whenever one large bundle outbids each of several smaller bids that together pay more.
 * Kept for comparison with {@link ExactSolver} in bench/auction.md.
 */
public final class GreedySolver implements Solver {
    @Override
    public Allocation solve(Instance instance) {
        List<RevealedBid> bids = new ArrayList<>(instance.eligibleBids());
        bids.sort(Comparator.comparing(RevealedBid::amountWei).reversed().thenComparingInt(RevealedBid::id));
        Bundle covered = Bundle.EMPTY;
        List<Integer> ids = new ArrayList<>();
        BigInteger revenue = BigInteger.ZERO;
        for (RevealedBid b : bids) {
            if (b.bundle().intersects(covered)) continue;
            covered = covered.union(b.bundle());
            ids.add(b.id());
            revenue = revenue.add(b.amountWei());
        }
        ids.sort(Integer::compare);
        return new Allocation(ids, revenue, bids.size(), false);
    }
}
