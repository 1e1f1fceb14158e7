package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One window's allocation problem: the revealed bids, the rollups auctioned in the window and each
 * rollup's reserve. Only {@link #eligibleBids() eligible} bids reach a solver; the rule is
 * SequencingMarketplace's: a non-empty bundle of rollups that take part in the window, and an amount
 * at least the bundle's summed reserves. Zero-amount bids are dropped too: they add no revenue.
 *
 * @param bids the revealed bids (distinct ids)
 * @param rollupsInWindow the rollup indexes auctioned in this window
 * @param reservesWei each auctioned rollup's reserve; a missing entry is a reserve of zero
 */
public record Instance(List<RevealedBid> bids, Bundle rollupsInWindow, Map<Integer, BigInteger> reservesWei) {
    public Instance {
        bids = List.copyOf(bids);
        Objects.requireNonNull(rollupsInWindow, "rollupsInWindow");
        reservesWei = Map.copyOf(reservesWei);
        Set<Integer> ids = new HashSet<>();
        for (RevealedBid b : bids) {
            if (!ids.add(b.id())) throw new IllegalArgumentException("duplicate bid id " + b.id());
        }
        reservesWei.forEach((index, reserve) -> {
            if (index < 0 || index >= Bundle.MAX_ROLLUPS || reserve.signum() < 0) {
                throw new IllegalArgumentException("bad reserve " + reserve + " for rollup " + index);
            }
        });
    }

    /** The summed reserves of {@code bundle}'s rollups. */
    public BigInteger reserveOf(Bundle bundle) {
        BigInteger sum = BigInteger.ZERO;
        for (int i : bundle.indexes()) {
            sum = sum.add(reservesWei.getOrDefault(i, BigInteger.ZERO));
        }
        return sum;
    }

    /** Whether the contract would accept {@code bid} in an allocation, and whether it could add revenue. */
    public boolean eligible(RevealedBid bid) {
        return !bid.bundle().isEmpty() && bid.bundle().within(rollupsInWindow) && bid.amountWei().signum() > 0
                && bid.amountWei().compareTo(reserveOf(bid.bundle())) >= 0;
    }

    public List<RevealedBid> eligibleBids() {
        List<RevealedBid> out = new ArrayList<>();
        for (RevealedBid b : bids) {
            if (eligible(b)) out.add(b);
        }
        return out;
    }

    /** Whether {@code allocation} is one the contract accepts: known eligible bids with disjoint bundles. */
    public boolean feasible(Allocation allocation) {
        Bundle covered = Bundle.EMPTY;
        BigInteger revenue = BigInteger.ZERO;
        for (int id : allocation.bidIds()) {
            RevealedBid b = bids.stream().filter(x -> x.id() == id).findFirst().orElse(null);
            if (b == null || !eligible(b) || b.bundle().intersects(covered)) return false;
            covered = covered.union(b.bundle());
            revenue = revenue.add(b.amountWei());
        }
        return revenue.equals(allocation.revenueWei());
    }
}
