package dev.cortado.settlement.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MarketClock's finality rule is SequencingMarketplace.phaseOf's: final a gap before an auctioned window starts. */
class MarketClockTest {
    private static final long GENESIS = 1_000;
    // 2 s slots, 8-slot windows, a 10-slot auction whose last 3 slots are the finality gap.
    private final MarketClock clock = new MarketClock(new SlotClock(GENESIS, 2), 8, 3, 10);

    private long at(long slot) {
        return GENESIS + slot * 2;
    }

    @Test
    void anAuctionedWindowIsFinalFromItsGapOnBeforeItStarts() {
        assertEquals(13, clock.finalSlot(2));
        assertFalse(clock.isFinalAt(2, at(13) - 1), "the last second of resolution");
        assertTrue(clock.isFinalAt(2, at(13)));
        assertEquals(1, clock.windowAt(at(13)), "window 1 still runs while window 2's result is final");
        assertTrue(clock.isFinalAt(2, at(16)));
    }

    @Test
    void aWindowNeverAuctionedIsFinalOnlyFromItsFirstSlot() {
        // Window 1 would commit at slot -2: the contract never auctions it and reports it NotOpen until slot 8.
        assertEquals(8, clock.finalSlot(1));
        assertFalse(clock.isFinalAt(1, at(7)));
        assertTrue(clock.isFinalAt(1, at(8)));
        assertFalse(clock.isFinalAt(0, GENESIS - 1), "nothing is final before genesis");
        assertTrue(clock.isFinalAt(0, GENESIS));
    }

    @Test
    void aGapOfZeroOrAsLongAsTheAuctionIsRefused() {
        var none = assertThrows(IllegalArgumentException.class, () -> new MarketClock(new SlotClock(GENESIS, 2), 8, 0, 10));
        assertEquals("need 1 <= finalitySlots < auctionSlots, got finality 0, auction 10", none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MarketClock(new SlotClock(GENESIS, 2), 8, 10, 10));
    }
}
