package dev.cortado.settlement.auction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cortado.settlement.auction.BidderRules.Action;
import dev.cortado.settlement.auction.PendingBid.Stage;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** What the bidder does for each stage and phase, including the cases a crash leaves behind. */
class BidderRulesTest {
    private static PendingBid bid(Stage stage) {
        return new PendingBid(1, BigInteger.ONE, BigInteger.TEN, BigInteger.TEN, "0x" + "11".repeat(20), "0x" + "00".repeat(32),
                "0x" + "ab".repeat(32), stage == Stage.PREPARED ? null : "0x" + "cd".repeat(32), stage.ordinal() >= 2 ? 0 : -1,
                stage, null);
    }

    @Test
    void aPreparedBidCommitsOnlyInItsCommitPhase() {
        assertInstanceOf(Action.Wait.class, BidderRules.next(bid(Stage.PREPARED), AuctionPhase.NOT_OPEN, 0));
        assertInstanceOf(Action.Commit.class, BidderRules.next(bid(Stage.PREPARED), AuctionPhase.COMMIT, 2));
        assertInstanceOf(Action.Abandon.class, BidderRules.next(bid(Stage.PREPARED), AuctionPhase.REVEAL, 2));
        assertInstanceOf(Action.Abandon.class, BidderRules.next(bid(Stage.PREPARED), AuctionPhase.FINAL, 0));
    }

    @Test
    void aSignedCommitIsCheckedBeforeAnythingElse() {
        for (AuctionPhase p : AuctionPhase.values()) {
            assertInstanceOf(Action.CheckCommit.class, BidderRules.next(bid(Stage.COMMIT_SENT), p, 1), p.name());
        }
    }

    @Test
    void aCommittedBidRevealsInTheRevealPhaseAndSettlesWhenFinal() {
        assertInstanceOf(Action.Wait.class, BidderRules.next(bid(Stage.COMMITTED), AuctionPhase.COMMIT, 1));
        assertInstanceOf(Action.Reveal.class, BidderRules.next(bid(Stage.COMMITTED), AuctionPhase.REVEAL, 1));
        assertInstanceOf(Action.Wait.class, BidderRules.next(bid(Stage.COMMITTED), AuctionPhase.RESOLUTION, 1));
        assertInstanceOf(Action.Settle.class, BidderRules.next(bid(Stage.COMMITTED), AuctionPhase.FINAL, 0));
        assertInstanceOf(Action.Wait.class, BidderRules.next(bid(Stage.REVEALED), AuctionPhase.RESOLUTION, 1));
        assertInstanceOf(Action.Settle.class, BidderRules.next(bid(Stage.REVEALED), AuctionPhase.FINAL, 0));
    }

    @Test
    void finishedBidsNeedNothing() {
        assertEquals(new Action.Nothing(), BidderRules.next(bid(Stage.SETTLED), AuctionPhase.FINAL, 0));
        assertEquals(new Action.Nothing(), BidderRules.next(bid(Stage.ABANDONED), AuctionPhase.COMMIT, 2));
    }
}
