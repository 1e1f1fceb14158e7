package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * View synchronisation: a replica gives up on its view as soon as timeout votes for it hold more than 1/3 of
 * the stake (at least one honest replica gave up), without waiting for its own, possibly much longer, timer.
 */
class ViewSyncTest {
    private final CoreHarness h = new CoreHarness(4);

    @Test
    void timeoutVotesOfMoreThanAThirdMakeTheReplicaTimeOutBeforeItsTimer() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);

        List<Effect> quarter = replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 1, h.genesisQc)), 10);
        assertEquals(List.of(), effects(quarter, Effect.BroadcastTimeoutVote.class), "1/4 of the stake is not enough");

        List<Effect> half = replica.handle(new Input.TimeoutVoteReceived(2, h.timeoutVote(2, 1, h.genesisQc)), 20);
        List<Effect.BroadcastTimeoutVote> sent = effects(half, Effect.BroadcastTimeoutVote.class);
        assertEquals(1, sent.size(), half.toString());
        TimeoutVote own = sent.getFirst().vote();
        assertEquals(v(1), own.view());
        assertEquals(0, own.voter());
        int persisted = half.indexOf(new Effect.PersistSafety(new SafetyState(v(1), h.genesisQc)));
        assertTrue(persisted >= 0 && persisted < half.indexOf(sent.getFirst()), "persisted before the vote: " + half);
        // Its own vote completes the quorum: the TC of view 1 moves it on, 980 ms before its timer would have.
        assertEquals(v(2), replica.currentView());
        assertEquals(List.of(new Effect.ScheduleTimeout(v(2), 20 + 2 * CoreHarness.BASE_TIMEOUT_MS)),
                effects(half, Effect.ScheduleTimeout.class));

        // The timer of view 1 firing later is stale; nothing is sent twice.
        assertEquals(List.of(), effects(replica.handle(new Input.Timeout(v(1)), 1_000),
                Effect.BroadcastTimeoutVote.class));
    }

    @Test
    void aReplicaThatTimedOutAlreadyDoesNotSignAgainWhenOthersJoin() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.Timeout(v(1)), 1_000);
        List<Effect> out = replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 1, h.genesisQc)), 1_010);
        assertEquals(List.of(), effects(out, Effect.BroadcastTimeoutVote.class));
        assertEquals(List.of(), effects(out, Effect.PersistSafety.class));
        assertEquals(v(1), replica.currentView(), "two of four votes are no TC");
    }
}
