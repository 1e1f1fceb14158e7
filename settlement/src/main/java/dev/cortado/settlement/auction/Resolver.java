package dev.cortado.settlement.auction;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.settlement.auction.AuctionViews.BidView;
import dev.cortado.settlement.auction.AuctionViews.ResultView;
import dev.cortado.settlement.auction.AuctionViews.RollupTerms;
import dev.cortado.settlement.auction.AuctionViews.Sent;
import dev.cortado.settlement.auction.solver.Allocation;
import dev.cortado.settlement.auction.solver.Bundle;
import dev.cortado.settlement.auction.solver.Instance;
import dev.cortado.settlement.auction.solver.RevealedBid;
import dev.cortado.settlement.auction.solver.Solver;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a window's revealed bids and the rollups' terms from L1, solves the allocation, and submits it
 * when it beats the window's best (more revenue, or equal revenue with the lower keccak of the ids,
 * the contract's tie rule). Gas is accounted: the estimate times the offered fee is the cost, the
 * revenue added is the gain; unless told otherwise the resolver sends only when the gain exceeds the cost.
 */
public final class Resolver {
    /** What one resolution attempt found and did; see {@link Outcome#failed()}. */
    public record Outcome(long window, Allocation allocation, BigInteger onChainRevenueWei, boolean submitted,
            String reason, long gasEstimate, BigInteger gasCostWei, Sent sent) {
        /** True when an allocation that beats the chain's was found but could not be submitted. */
        public boolean failed() {
            return !submitted && reason.startsWith(SUBMISSION_FAILED);
        }
    }

    static final String SUBMISSION_FAILED = "submission failed: ";

    private final MarketplaceGateway gateway;
    private final Solver solver;

    public Resolver(MarketplaceGateway gateway, Solver solver) {
        this.gateway = gateway;
        this.solver = solver;
    }

    /** The window's allocation problem as on L1 now. */
    public Instance instanceFor(long window) {
        List<RollupTerms> rollups = gateway.rollupsFor(window);
        Map<Integer, BigInteger> reserves = new HashMap<>();
        int[] inWindow = rollups.stream().filter(r -> r.inWindow(window)).mapToInt(RollupTerms::index).toArray();
        for (RollupTerms r : rollups) {
            if (r.inWindow(window)) reserves.put(r.index(), r.reserveWei());
        }
        List<RevealedBid> bids = new ArrayList<>();
        for (BidView b : gateway.bidsOf(window)) {
            if (b.revealed()) bids.add(new RevealedBid(b.bidId(), Bundle.of(b.bundleBits()), b.amountWei()));
        }
        return new Instance(bids, Bundle.ofIndexes(inWindow), reserves);
    }

    /**
     * Solves {@code window} and submits when better; {@code requireGainOverGas} skips a submission whose
     * revenue gain does not pay for its gas. The window must be in its resolution phase for a submission.
     */
    public Outcome resolve(long window, boolean requireGainOverGas) {
        return submitIfBetter(window, solve(instanceFor(window)), requireGainOverGas);
    }

    /** The optimum of {@code instance}: what {@link #resolve} would try to submit for it. */
    public Allocation solve(Instance instance) {
        return solver.solve(instance);
    }

    /**
     * Submits {@code a}, solved for {@code window} earlier, when it beats the chain's best now; only the
     * window's result is read from L1.
     */
    public Outcome submitIfBetter(long window, Allocation a, boolean requireGainOverGas) {
        ResultView best = gateway.resultOf(window);
        BigInteger onChain = best.revenueWei();
        if (a.isEmpty()) return new Outcome(window, a, onChain, false, "no eligible revealed bid", 0, BigInteger.ZERO, null);
        int cmp = a.revenueWei().compareTo(onChain);
        if (cmp < 0 || (cmp == 0 && !best.bidIds().isEmpty()
                && Arrays.compareUnsigned(idsHash(a.bidIds()), idsHash(best.bidIds())) >= 0)) {
            return new Outcome(window, a, onChain, false, "the on-chain allocation is as good (" + onChain + " wei)", 0,
                    BigInteger.ZERO, null);
        }
        BigInteger gain = a.revenueWei().subtract(onChain);
        long gas = 0;
        BigInteger cost = BigInteger.ZERO;
        try {
            gas = gateway.estimateSubmitAllocation(window, a.bidIds());
            cost = BigInteger.valueOf(gas).multiply(gateway.maxFeePerGasWei());
            if (requireGainOverGas && gain.compareTo(cost) <= 0) {
                return new Outcome(window, a, onChain, false, "gain " + gain + " wei does not pay for " + gas + " gas (up to "
                        + cost + " wei)", gas, cost, null);
            }
            Sent sent = gateway.submitAllocation(window, a.bidIds());
            return new Outcome(window, a, onChain, true, "submitted, gain " + gain + " wei", gas, cost, sent);
        } catch (RuntimeException e) {
            // A refused simulation, a reverted or unmined transaction, an empty account: nothing changed on L1,
            // so a later attempt (ResolutionLoop) may still sell the window.
            return new Outcome(window, a, onChain, false, SUBMISSION_FAILED + firstLine(e), gas, cost, null);
        }
    }

    static String firstLine(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    /** keccak256(abi.encodePacked(uint32[] ids)): each id padded to a 32-byte word. */
    static byte[] idsHash(List<Integer> ids) {
        byte[] packed = new byte[32 * ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            packed[32 * i + 28] = (byte) (id >>> 24);
            packed[32 * i + 29] = (byte) (id >>> 16);
            packed[32 * i + 30] = (byte) (id >>> 8);
            packed[32 * i + 31] = (byte) id;
        }
        return Keccak.hash(packed).bytes();
    }
}
