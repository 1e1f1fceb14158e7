package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A set of winning bids: ids in strictly ascending order (the order SequencingMarketplace's
 * {@code submitAllocation} demands) and their summed amounts.
 *
 * @param bidIds the winning bids, ascending
 * @param revenueWei the sum of their amounts
 * @param nodesExplored search nodes the solver visited (an operation count for tests and reports)
 * @param provenOptimal true when no allocation earns more (the exact solver finished within its budget)
 */
public record Allocation(List<Integer> bidIds, BigInteger revenueWei, long nodesExplored, boolean provenOptimal) {

    public Allocation {
        bidIds = List.copyOf(bidIds);
        Objects.requireNonNull(revenueWei, "revenueWei");
        for (int i = 1; i < bidIds.size(); i++) {
            if (bidIds.get(i) <= bidIds.get(i - 1)) {
                throw new IllegalArgumentException("bid ids must be strictly ascending, got " + bidIds);
            }
        }
    }

    public boolean isEmpty() {
        return bidIds.isEmpty();
    }
}
