package dev.cortado.settlement.auction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The schedule matches SequencingMarketplace.phaseOf at every slot boundary (12-slot windows, 3/2/2, final 2 early). */
class AuctionScheduleTest {
    private final AuctionSchedule s = new AuctionSchedule(12, 3, 2, 2, 2);

    @Test
    void windowOnesPhasesStartAndEndAtTheContractsSlots() {
        AuctionPhase[] expected = {
            AuctionPhase.NOT_OPEN, AuctionPhase.NOT_OPEN, AuctionPhase.NOT_OPEN,
            AuctionPhase.COMMIT, AuctionPhase.COMMIT, AuctionPhase.COMMIT,
            AuctionPhase.REVEAL, AuctionPhase.REVEAL,
            AuctionPhase.RESOLUTION, AuctionPhase.RESOLUTION,
            AuctionPhase.FINAL, AuctionPhase.FINAL, // the finality gap: window 0 still runs
            AuctionPhase.FINAL, AuctionPhase.FINAL};
        for (int slot = 0; slot < expected.length; slot++) {
            assertEquals(expected[slot], s.phaseOf(1, slot), "slot " + slot);
        }
        assertEquals(3, s.commitSlot(1));
        assertEquals(6, s.revealSlot(1));
        assertEquals(8, s.resolutionSlot(1));
        assertEquals(10, s.finalSlot(1));
        assertEquals(12, s.windowSlot(1));
        assertEquals(9, s.auctionSlots());
    }

    @Test
    void windowZeroIsNeverAuctioned() {
        assertFalse(s.auctioned(0));
        assertTrue(s.auctioned(1));
        assertEquals(AuctionPhase.FINAL, s.phaseOf(0, 0));
    }

    @Test
    void aWindowNeverAuctionedIsFinalOnlyWhenItStarts() {
        // 8-slot windows with a 10-slot auction: window 1 would commit at slot -2.
        AuctionSchedule devnet = new AuctionSchedule(8, 3, 2, 2, 3);
        assertFalse(devnet.auctioned(1));
        assertEquals(AuctionPhase.NOT_OPEN, devnet.phaseOf(1, 7));
        assertEquals(AuctionPhase.FINAL, devnet.phaseOf(1, 8));
        assertTrue(devnet.auctioned(2));
        assertEquals(AuctionPhase.COMMIT, devnet.phaseOf(2, 6));
        assertEquals(AuctionPhase.FINAL, devnet.phaseOf(2, 13));
    }

    @Test
    void theRunningAuctionIsTheLatestOpenedEvenWhenAuctionsOverlap() {
        AuctionSchedule devnet = new AuctionSchedule(8, 3, 2, 2, 3);
        assertEquals(-1, devnet.runningAuction(5), "window 2 commits from slot 6; window 1 is never auctioned");
        assertEquals(2, devnet.runningAuction(6));
        assertEquals(2, devnet.runningAuction(13), "window 2's finality gap, slots 13-15");
        // Window 3 commits from slot 14, inside window 2's gap.
        assertEquals(3, devnet.runningAuction(14));
        assertEquals(AuctionPhase.FINAL, devnet.phaseOf(2, 14));
        assertEquals(AuctionPhase.COMMIT, devnet.phaseOf(3, 14));
        assertEquals(3, devnet.runningAuction(19));
        assertEquals(AuctionPhase.RESOLUTION, devnet.phaseOf(3, 19));
    }

    @Test
    void nextCommitWindowSkipsAPhaseTooCloseToItsEnd() {
        assertEquals(1, s.nextCommitWindow(0, 1));
        assertEquals(1, s.nextCommitWindow(4, 1));
        // Slot 5 is the last commit slot of window 1: a commit sent now could land in the reveal phase.
        assertEquals(2, s.nextCommitWindow(5, 1));
        assertEquals(2, s.nextCommitWindow(11, 1));
    }

    @Test
    void zeroLengthPhasesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AuctionSchedule(10, 0, 2, 2, 2));
        assertTrue(e.getMessage().contains("commit 0"), e.getMessage());
        var noGap = assertThrows(IllegalArgumentException.class, () -> new AuctionSchedule(10, 3, 2, 2, 0));
        assertTrue(noGap.getMessage().contains("finality 0"), noGap.getMessage());
    }
}
