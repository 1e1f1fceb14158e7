package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Revenue-maximising weighted set packing by branch and bound over the bundle bitmaps.
 *
 * <p>The search branches on rollups, not bids (the CASS scheme for combinatorial auctions): at each
 * node it takes the lowest rollup that is still open and tries every remaining bid whose lowest rollup
 * it is, then the choice "this rollup stays unsold", which closes it. Every packing is reached exactly
 * once, and a bid never has to be tried at a node where a lower rollup of its bundle is open. The bound
 * at a node is the revenue so far plus the smaller of (a) the summed amounts of the bids still
 * compatible and (b) the sum over open rollups of the best amount-per-rollup among those bids; both
 * never underestimate what the subtree can add. The greedy allocation is the first incumbent.
 *
 * <p>Amounts are uint96 wei, more than a {@code long} holds, so revenue is kept exactly in
 * {@link BigInteger}; only the bound is a {@code double}, and it prunes only with a relative margin
 * of 1e-9, far above the rounding of at most 256 additions, so rounding never cuts off a better packing.
 *
 * <p>Hostile windows (up to 256 bids chosen to defeat the bound) could make the search exponential,
 * so it stops after {@code maxNodes} nodes and returns its incumbent with {@code provenOptimal = false}.
 */
public final class ExactSolver implements Solver {
    private static final double MARGIN = 1e-9;
    private final long maxNodes;

    /** A solver that visits at most {@code maxNodes} search nodes per window. */
    public ExactSolver(long maxNodes) {
        if (maxNodes < 1) throw new IllegalArgumentException("maxNodes must be >= 1, got " + maxNodes);
        this.maxNodes = maxNodes;
    }

    /** Ten million nodes: well under a second on one core, and far more than 50 bids over 16 rollups need. */
    public ExactSolver() {
        this(10_000_000);
    }

    @Override
    public Allocation solve(Instance instance) {
        List<RevealedBid> eligible = new ArrayList<>(instance.eligibleBids());
        if (eligible.isEmpty()) return new Allocation(List.of(), BigInteger.ZERO, 0, true);
        // Within a rollup's bucket, richer bids first: good incumbents early make the bound bite sooner.
        eligible.sort(Comparator.comparingInt((RevealedBid b) -> b.bundle().lowest())
                .thenComparing(RevealedBid::amountWei, Comparator.reverseOrder()).thenComparingInt(RevealedBid::id));
        Allocation greedy = new GreedySolver().solve(instance);
        return new Search(eligible, greedy, maxNodes).run();
    }

    /** The state of one search; the arrays are indexed by position in the sorted eligible list. */
    private static final class Search {
        private final int n;
        private final long[][] words;
        private final int[][] rollups;
        private final double[] amount;
        private final double[] density;
        private final BigInteger[] exact;
        private final int[] ids;
        private final int[] bucketStart = new int[Bundle.MAX_ROLLUPS + 1];
        private final long maxNodes;
        private final int[] chosen;
        private final double[] bestPerRollup = new double[Bundle.MAX_ROLLUPS];
        private int[] bestChosen;
        private BigInteger best;
        private double bestDouble;
        private long nodes;

        Search(List<RevealedBid> sorted, Allocation incumbent, long maxNodes) {
            this.n = sorted.size();
            this.maxNodes = maxNodes;
            words = new long[n][];
            rollups = new int[n][];
            amount = new double[n];
            density = new double[n];
            exact = new BigInteger[n];
            ids = new int[n];
            chosen = new int[n];
            Arrays.fill(bucketStart, n);
            for (int i = n - 1; i >= 0; i--) {
                RevealedBid b = sorted.get(i);
                Bundle u = b.bundle();
                words[i] = new long[] {u.w0(), u.w1(), u.w2(), u.w3()};
                rollups[i] = u.indexes();
                exact[i] = b.amountWei();
                amount[i] = b.amountWei().doubleValue();
                density[i] = amount[i] / rollups[i].length;
                ids[i] = b.id();
                bucketStart[u.lowest()] = i;
            }
            // A rollup with no bucket of its own starts where the next one does.
            for (int r = Bundle.MAX_ROLLUPS - 1; r >= 0; r--) {
                bucketStart[r] = Math.min(bucketStart[r], bucketStart[r + 1]);
            }
            best = incumbent.revenueWei();
            bestDouble = best.doubleValue();
            bestChosen = incumbent.bidIds().stream().mapToInt(Integer::intValue).toArray();
        }

        Allocation run() {
            boolean finished = descend(new long[4], 0, BigInteger.ZERO, 0.0, 0);
            int[] sortedIds = bestChosen.clone();
            Arrays.sort(sortedIds);
            return new Allocation(Arrays.stream(sortedIds).boxed().toList(), best, nodes, finished);
        }

        /** Returns false when the node budget ran out (the incumbent is then kept, unproven). */
        private boolean descend(long[] closed, int from, BigInteger revenue, double revenueDouble, int depth) {
            if (++nodes > maxNodes) return false;
            int rollup = nextOpenRollup(closed, from);
            if (rollup < 0) {
                if (revenue.compareTo(best) > 0) {
                    best = revenue;
                    bestDouble = revenueDouble;
                    bestChosen = Arrays.stream(chosen, 0, depth).map(i -> ids[i]).toArray();
                }
                return true;
            }
            if ((revenueDouble + bound(closed, bucketStart[rollup])) * (1 + MARGIN) < bestDouble) return true;
            for (int i = bucketStart[rollup]; i < bucketStart[rollup + 1]; i++) {
                long[] w = words[i];
                if (((w[0] & closed[0]) | (w[1] & closed[1]) | (w[2] & closed[2]) | (w[3] & closed[3])) != 0) continue;
                long[] next = {closed[0] | w[0], closed[1] | w[1], closed[2] | w[2], closed[3] | w[3]};
                chosen[depth] = i;
                if (!descend(next, rollup + 1, revenue.add(exact[i]), revenueDouble + amount[i], depth + 1)) return false;
            }
            long[] unsold = closed.clone();
            unsold[rollup >>> 6] |= 1L << (rollup & 63);
            return descend(unsold, rollup + 1, revenue, revenueDouble, depth);
        }

        /** The lowest open rollup at or above {@code from} that some remaining bid starts at, or -1. */
        private int nextOpenRollup(long[] closed, int from) {
            for (int r = from; r < Bundle.MAX_ROLLUPS; r++) {
                if (bucketStart[r] == n) return -1;
                if ((closed[r >>> 6] >>> (r & 63) & 1) == 0 && bucketStart[r] < bucketStart[r + 1]) return r;
            }
            return -1;
        }

        /** What the bids from position {@code start} on that fit the open rollups can add at most. */
        private double bound(long[] closed, int start) {
            double sum = 0;
            double perRollup = 0;
            Arrays.fill(bestPerRollup, 0);
            for (int i = start; i < n; i++) {
                long[] w = words[i];
                if (((w[0] & closed[0]) | (w[1] & closed[1]) | (w[2] & closed[2]) | (w[3] & closed[3])) != 0) continue;
                sum += amount[i];
                for (int r : rollups[i]) {
                    if (density[i] > bestPerRollup[r]) bestPerRollup[r] = density[i];
                }
            }
            for (double d : bestPerRollup) perRollup += d;
            return Math.min(sum, perRollup);
        }
    }
}
