package dev.cortado.settlement.auction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The schedule matches SequencingMarketplace.phaseOf at every slot boundary (10-slot windows, 3/2/2). */
class AuctionScheduleTest {
    private final AuctionSchedule s = new AuctionSchedule(10, 3, 2, 2);

    @Test
    void windowOnesPhasesStartAndEndAtTheContractsSlots() {
        AuctionPhase[] expected = {
            AuctionPhase.NOT_OPEN, AuctionPhase.NOT_OPEN, AuctionPhase.NOT_OPEN,
            AuctionPhase.COMMIT, AuctionPhase.COMMIT, AuctionPhase.COMMIT,
            AuctionPhase.REVEAL, AuctionPhase.REVEAL,
            AuctionPhase.RESOLUTION, AuctionPhase.RESOLUTION,
            AuctionPhase.FINAL, AuctionPhase.FINAL};
        for (int slot = 0; slot < expected.length; slot++) {
            assertEquals(expected[slot], s.phaseOf(1, slot), "slot " + slot);
        }
        assertEquals(3, s.commitSlot(1));
        assertEquals(6, s.revealSlot(1));
        assertEquals(8, s.resolutionSlot(1));
        assertEquals(10, s.windowSlot(1));
    }

    @Test
    void windowZeroIsNeverAuctioned() {
        assertFalse(s.auctioned(0));
        assertTrue(s.auctioned(1));
        assertEquals(AuctionPhase.FINAL, s.phaseOf(0, 0));
    }

    @Test
    void nextCommitWindowSkipsAPhaseTooCloseToItsEnd() {
        assertEquals(1, s.nextCommitWindow(0, 1));
        assertEquals(1, s.nextCommitWindow(4, 1));
        // Slot 5 is the last commit slot of window 1: a commit sent now could land in the reveal phase.
        assertEquals(2, s.nextCommitWindow(5, 1));
        assertEquals(2, s.nextCommitWindow(9, 1));
    }

    @Test
    void zeroLengthPhasesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AuctionSchedule(10, 0, 2, 2));
        assertTrue(e.getMessage().contains("commit 0"), e.getMessage());
    }
}
