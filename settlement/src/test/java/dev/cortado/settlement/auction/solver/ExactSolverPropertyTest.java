package dev.cortado.settlement.auction.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The exact solver against brute force, and the greedy solver's known weakness. */
class ExactSolverPropertyTest {
    private static final ExactSolver EXACT = new ExactSolver();

    @Property(tries = 400)
    void exactMatchesBruteForce(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int bids,
            @ForAll @IntRange(min = 1, max = 12) int rollups, @ForAll @IntRange(min = 1, max = 6) int maxBundle,
            @ForAll boolean huge) {
        Instance instance = RandomInstances.generate(new Random(seed), bids, rollups, maxBundle, huge);
        Allocation a = EXACT.solve(instance);
        assertEquals(BruteForce.bestRevenue(instance), a.revenueWei(), "revenue");
        assertTrue(instance.feasible(a), () -> "infeasible allocation " + a);
        assertTrue(a.provenOptimal());
    }

    @Property(tries = 200)
    void greedyIsFeasibleAndNeverBeatsExact(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int bids,
            @ForAll @IntRange(min = 1, max = 12) int rollups) {
        Instance instance = RandomInstances.generate(new Random(seed), bids, rollups, 4, false);
        Allocation greedy = new GreedySolver().solve(instance);
        assertTrue(instance.feasible(greedy), () -> "infeasible greedy allocation " + greedy);
        assertTrue(greedy.revenueWei().compareTo(EXACT.solve(instance).revenueWei()) <= 0);
    }

    @Test
    void twoSmallBidsBeatOneBigBundleThatGreedyTakes() {
        Instance instance = new Instance(List.of(
                new RevealedBid(0, Bundle.ofIndexes(0, 1), BigInteger.valueOf(10)),
                new RevealedBid(1, Bundle.ofIndexes(0), BigInteger.valueOf(6)),
                new RevealedBid(2, Bundle.ofIndexes(1), BigInteger.valueOf(6))), Bundle.firstN(2), Map.of());
        assertEquals(List.of(0), new GreedySolver().solve(instance).bidIds());
        Allocation exact = EXACT.solve(instance);
        assertEquals(List.of(1, 2), exact.bidIds());
        assertEquals(BigInteger.valueOf(12), exact.revenueWei());
    }

    @Test
    void bidsBelowTheirReservesOrOutsideTheWindowAreNeverChosen() {
        Instance instance = new Instance(List.of(
                new RevealedBid(0, Bundle.ofIndexes(0, 1), BigInteger.valueOf(149)),
                new RevealedBid(1, Bundle.ofIndexes(2), BigInteger.valueOf(1_000)),
                new RevealedBid(3, Bundle.ofIndexes(1), BigInteger.valueOf(100))),
                Bundle.firstN(2), Map.of(0, BigInteger.valueOf(50), 1, BigInteger.valueOf(100)));
        Allocation exact = EXACT.solve(instance);
        assertEquals(List.of(3), exact.bidIds());
        assertEquals(BigInteger.valueOf(100), exact.revenueWei());
    }

    @Test
    void aRevenueDifferenceOfOneWeiAtUint96ScaleIsSeen() {
        BigInteger big = BigInteger.ONE.shiftLeft(95);
        Instance instance = new Instance(List.of(
                new RevealedBid(0, Bundle.ofIndexes(0, 1), big.add(BigInteger.ONE)),
                new RevealedBid(1, Bundle.ofIndexes(0), big.shiftRight(1)),
                new RevealedBid(2, Bundle.ofIndexes(1), big.shiftRight(1))), Bundle.firstN(2), Map.of());
        assertEquals(List.of(0), EXACT.solve(instance).bidIds());
    }

    @Test
    void anExhaustedBudgetIsReportedAndStillFeasible() {
        Instance instance = RandomInstances.generate(new Random(7), 50, 16, 4, false);
        Allocation capped = new ExactSolver(5).solve(instance);
        assertFalse(capped.provenOptimal());
        assertTrue(instance.feasible(capped));
        Allocation full = EXACT.solve(instance);
        assertTrue(full.provenOptimal());
        assertTrue(full.revenueWei().compareTo(capped.revenueWei()) >= 0);
    }

    @Test
    void bundleRoundTripsThroughUint256() {
        BigInteger bits = BigInteger.ONE.shiftLeft(255).or(BigInteger.ONE.shiftLeft(64)).or(BigInteger.ONE);
        Bundle b = Bundle.of(bits);
        assertEquals(bits, b.toBigInteger());
        assertEquals(3, b.size());
        assertEquals(0, b.lowest());
        assertTrue(b.contains(255) && b.contains(64) && !b.contains(63));
    }
}
