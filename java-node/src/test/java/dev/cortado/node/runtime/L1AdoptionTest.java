package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The leader's choice of l1Head: adoption after the delay, in order, with bounded state during a catch-up burst. */
class L1AdoptionTest {
    @Test
    void aBurstOfFollowedBlocksKeepsBoundedStateAndAdoptsTheOldestFirst() {
        L1Adoption a = new L1Adoption();
        for (long b = 1; b <= 1_000; b++) {
            a.followed(b, 0, 500);
        }
        assertEquals(L1Adoption.MAX_WAITING, a.waitingCount());
        assertEquals(1_000 - L1Adoption.MAX_WAITING, a.adopted(499), "the oldest were adopted early to stay bounded");
        assertEquals(1_000, a.adopted(500));
        assertEquals(0, a.waitingCount());
    }

    @Test
    void withoutADelayTheFollowedBlockIsAdoptedAtOnce() {
        L1Adoption a = new L1Adoption();
        a.followed(7, 1_000, 0);
        assertEquals(7, a.adopted(1_000));
    }
}
