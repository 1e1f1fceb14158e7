package dev.cortado.node.cdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.cdn.BrokerWatch.Mode;
import org.junit.jupiter.api.Test;

/** The broker-suspicion rules on a virtual clock. */
class BrokerWatchTest {
    @Test
    void noJudgementBeforeTheFirstView() {
        BrokerWatch w = new BrokerWatch(100, 100, 800);
        w.viewIs(0, 0);
        assertEquals(Mode.BROKER, w.mode(10_000), "view 0 is the wait before joining consensus");
        w.viewIs(1, 10_000);
        assertEquals(Mode.DIRECT, w.mode(10_101));
    }

    @Test
    void stallLeavesTheBrokerAndOnlyAReturnedProbeAfterTheSuspicionPeriodBringsItBack() {
        BrokerWatch w = new BrokerWatch(100, 100, 800);
        w.viewIs(1, 0);
        assertEquals(Mode.BROKER, w.mode(100));
        assertEquals(Mode.DIRECT, w.mode(101));
        assertEquals(1, w.suspicions());
        // Views progress over the direct mesh: that does not clear the broker.
        w.viewIs(2, 150);
        assertEquals(Mode.DIRECT, w.mode(150));
        assertFalse(w.probeDue(200));
        w.probeReturned(200);
        assertEquals(Mode.DIRECT, w.mode(200), "a probe inside the suspicion period does not count");
        assertTrue(w.probeDue(201));
        w.probeReturned(201);
        assertEquals(Mode.BROKER, w.mode(201));
        // It stalls again on return: the next suspicion lasts twice as long (200 ms).
        assertEquals(Mode.DIRECT, w.mode(302));
        assertFalse(w.probeDue(501));
        assertTrue(w.probeDue(502));
        assertEquals(2, w.suspicions());
    }

    @Test
    void suspicionPeriodDoublesUpToTheCapAndResetsAfterAHealthyStretch() {
        BrokerWatch w = new BrokerWatch(100, 100, 400);
        long now = 0;
        w.viewIs(1, now);
        long[] expectedPeriods = {100, 200, 400, 400};
        for (long period : expectedPeriods) {
            now += 101;
            assertEquals(Mode.DIRECT, w.mode(now));
            long start = now;
            assertFalse(w.probeDue(start + period - 1));
            now = start + period;
            w.probeReturned(now);
            assertEquals(Mode.BROKER, w.mode(now));
        }
        // Four capped periods of progress through the broker: back to the minimum.
        for (int i = 1; i <= 17; i++) {
            w.viewIs(10 + i, now + 100L * i);
            w.mode(now + 100L * i);
        }
        now += 1_801;
        assertEquals(Mode.DIRECT, w.mode(now));
        assertTrue(w.probeDue(now + 100), "the period is back at 100 ms");
    }

    @Test
    void forgeryIsSuspectedAtOnce() {
        BrokerWatch w = new BrokerWatch(1_000, 1_000, 8_000);
        w.viewIs(1, 0);
        w.forgery(5);
        assertEquals(Mode.DIRECT, w.mode(6));
        assertFalse(w.probeDue(1_004));
        assertTrue(w.probeDue(1_005));
    }
}
