package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cortado.protocol.types.Bytes32;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The deferral timers count each deferred proposal once, under the reason it last waited for, in bounded state. */
class ProposalTimesTest {
    private final StageMetrics stages = new StageMetrics(new SimpleMeterRegistry());
    private final ProposalTimes times = new ProposalTimes(stages);

    @Test
    void aDeferredProposalIsTimedOnceUnderItsLastReason() {
        times.verdict(5, BlockVerdict.Defer.ancestor(Bytes32.ZERO));
        times.verdict(5, BlockVerdict.Defer.l1(12, 11));
        assertEquals(0, stages.deferredL1Head.count(), "still waiting");
        times.verdict(5, new BlockVerdict.Accept());
        times.verdict(5, new BlockVerdict.Accept());
        assertEquals(1, stages.deferredL1Head.count());
        assertEquals(0, stages.deferredAncestor.count());

        times.verdict(6, BlockVerdict.Defer.ancestor(Bytes32.ZERO));
        times.verdict(6, new BlockVerdict.Ignore("view ended"));
        assertEquals(1, stages.deferredAncestor.count(), "a wait cut short by the view's end still counts");

        times.verdict(7, new BlockVerdict.Accept());
        assertEquals(2, stages.deferredL1Head.count() + stages.deferredAncestor.count(), "no deferral, no sample");
    }

    @Test
    void stateKeepsOnlyTheNewestViews() {
        for (long v = 0; v < 10 * ProposalTimes.VIEWS; v++) {
            times.arrived(v);
            times.verdict(v, BlockVerdict.Defer.l1(v + 1, v));
        }
        times.verdict(0, new BlockVerdict.Accept());
        assertEquals(0, stages.deferredL1Head.count(), "view 0 fell out of the window");
        assertEquals(0, times.arrivedNanos(0));
        long newest = 10 * ProposalTimes.VIEWS - 1;
        assertNotEquals(0, times.arrivedNanos(newest));
        times.verdict(newest, new BlockVerdict.Accept());
        assertEquals(1, stages.deferredL1Head.count());
    }
}
