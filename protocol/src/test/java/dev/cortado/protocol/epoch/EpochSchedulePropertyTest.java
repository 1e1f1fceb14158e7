package dev.cortado.protocol.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EpochSchedulePropertyTest {

    @Property(tries = 300)
    void everyHeightLiesInExactlyOneEpochAndTheSnapshotPrecedesTheHandover(
            @ForAll @IntRange(min = 2, max = 500) int epochBlocks, @ForAll @IntRange(min = 1, max = 499) int lead,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long height) {
        if (lead >= epochBlocks) return;
        EpochSchedule s = new EpochSchedule(epochBlocks, lead);
        long e = s.epochOf(height);
        assertTrue(s.firstHeight(e) <= height && height <= s.lastHeight(e));
        assertEquals(s.lastHeight(e) + 1, s.firstHeight(e + 1));
        assertEquals(height == s.lastHeight(e), s.isLastOfEpoch(height));
        long snap = s.snapshotHeight(e + 1);
        // The next table is fixed inside the outgoing epoch, strictly before the block that signs it.
        assertEquals(e, s.epochOf(snap));
        assertTrue(snap < s.lastHeight(e));
        assertEquals(lead, s.lastHeight(e) - snap);
    }

    @Test
    void refusesSchedulesThatCannotHandOver() {
        assertEquals("epoch_blocks must be in 2..1099511627776, got 1",
                assertThrows(IllegalArgumentException.class, () -> new EpochSchedule(1, 1)).getMessage());
        assertEquals("snapshot lead must be in 1..9 blocks, got 10",
                assertThrows(IllegalArgumentException.class, () -> new EpochSchedule(10, 10)).getMessage());
        assertEquals("snapshot lead must be in 1..9 blocks, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EpochSchedule(10, 0)).getMessage());
        EpochSchedule s = new EpochSchedule(10, 3);
        assertEquals("epoch 0 has the genesis table; no snapshot, got 0",
                assertThrows(IllegalArgumentException.class, () -> s.snapshotHeight(0)).getMessage());
        assertEquals(6, s.snapshotHeight(1));
        assertEquals(9, s.lastHeight(0));
        assertFalse(s.isLastOfEpoch(10));
        assertThrows(IllegalArgumentException.class, () -> s.firstHeight(s.maxEpoch() + 1));
        assertTrue(s.lastHeight(s.maxEpoch()) > 0);
    }
}
