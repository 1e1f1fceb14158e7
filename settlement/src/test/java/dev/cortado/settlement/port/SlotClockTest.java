package dev.cortado.settlement.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SlotClockTest {
    private final SlotClock clock = new SlotClock(1_000, 12);

    @Test
    void slotsAreWholeIntervalsFromGenesis() {
        assertEquals(0, clock.slotAt(1_000));
        assertEquals(0, clock.slotAt(1_011));
        assertEquals(1, clock.slotAt(1_012));
        assertEquals(1_012, clock.slotStartSec(1));
        assertEquals(1_000, clock.msUntilNextSlot(1_011_000));
        assertEquals(12_000, clock.msUntilNextSlot(1_012_000));
    }

    @Test
    void rejectsTimesBeforeGenesisAndBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> clock.slotAt(999));
        assertThrows(IllegalArgumentException.class, () -> clock.slotStartSec(-1));
        assertThrows(IllegalArgumentException.class, () -> new SlotClock(0, 0));
        assertThrows(ArithmeticException.class, () -> clock.slotStartSec(Long.MAX_VALUE / 2));
    }
}
