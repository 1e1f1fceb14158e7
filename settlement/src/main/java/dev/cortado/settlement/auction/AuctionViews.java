package dev.cortado.settlement.auction;

import java.math.BigInteger;
import java.util.List;

/** What the bidder, resolver and status command read from SequencingMarketplace, web3j-free. */
public final class AuctionViews {
    private AuctionViews() {}

    /** The deployment parameters that the clients need. */
    public record MarketParams(long genesisTimeSec, long secondsPerSlot, AuctionSchedule schedule,
            long withdrawalDelaySeconds, int maxBidsPerWindow, BigInteger bidBondWei, BigInteger commitFeeWei,
            String treasury) {
        public long slotAt(long unixTimeSec) {
            return unixTimeSec < genesisTimeSec ? -1 : (unixTimeSec - genesisTimeSec) / secondsPerSlot;
        }
    }

    /** One bid as bidOf returns it; bundle and amount are meaningful once revealed. */
    public record BidView(int bidId, String bidder, BigInteger collateralWei, boolean revealed, boolean settled,
            BigInteger bundleBits, BigInteger amountWei, String sequencer) {
    }

    /** The best allocation so far (resultOf). */
    public record ResultView(BigInteger revenueWei, List<Integer> bidIds, boolean isFinal) {
        public ResultView {
            bidIds = List.copyOf(bidIds);
        }
    }

    /** A rollup's terms for one window (zero reserve and null addresses before it joined). */
    public record RollupTerms(int index, long namespace, long firstWindow, BigInteger reserveWei, String defaultSequencer,
            String beneficiary) {
        public boolean inWindow(long window) {
            return firstWindow <= window;
        }
    }

    /** A mined transaction of ours. */
    public record Sent(String txHash, long gasUsed, long l1Block) {
    }
}
