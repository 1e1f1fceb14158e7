package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
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

    /**
     * The shape of {@code mixed-n4:86432} (stakes 3, 1, 2, 1; replica 2 Byzantine). Replica 3 counts the Byzantine
     * vote (2/7, no reason to join) and then replica 0's (3/7): a TC without its own vote. Replica 1, the next
     * leader, refused the Byzantine vote (over its budget), so it holds only 0's and its own, 4/7. Unless replica 3
     * broadcasts its timeout vote as it leaves, replica 1 learns TC(1) only when the others give up on view 2.
     */
    @Test
    void aReplicaLeavingOnATcItDidNotVoteForStillBroadcastsItsTimeoutVote() {
        CoreHarness weighted = new CoreHarness(new StakeWeights(new long[] {30, 10, 20, 10}));
        ConsensusCore replica = weighted.core(3);
        replica.handle(new Input.Start(), 0);
        List<Effect> byzantine = replica.handle(new Input.TimeoutVoteReceived(2,
                weighted.timeoutVote(2, 1, weighted.genesisQc)), 10);
        assertEquals(List.of(), effects(byzantine, Effect.BroadcastTimeoutVote.class), "2/7 is not more than 1/3");

        List<Effect> out = replica.handle(new Input.TimeoutVoteReceived(0, weighted.timeoutVote(0, 1, weighted.genesisQc)), 20);
        assertEquals(v(2), replica.currentView(), "5/7 is a TC");
        List<Effect.BroadcastTimeoutVote> sent = effects(out, Effect.BroadcastTimeoutVote.class);
        assertEquals(1, sent.size(), out.toString());
        assertEquals(v(1), sent.getFirst().vote().view());
        assertEquals(3, sent.getFirst().vote().voter());
        int persisted = out.indexOf(new Effect.PersistSafety(new SafetyState(v(1), weighted.genesisQc)));
        assertTrue(persisted >= 0 && persisted < out.indexOf(sent.getFirst()), "persisted before the vote: " + out);

        // What the next leader gets from it completes its TC: 0's, its own and 3's are 5/7.
        ConsensusCore leader = weighted.core(1);
        leader.handle(new Input.Start(), 0);
        leader.handle(new Input.TimeoutVoteReceived(0, weighted.timeoutVote(0, 1, weighted.genesisQc)), 20);
        assertEquals(v(1), leader.currentView(), "0's vote and its own joined one are 4/7");
        leader.handle(new Input.TimeoutVoteReceived(3, sent.getFirst().vote()), 25);
        assertEquals(v(2), leader.currentView());
    }

    @Test
    void aReplicaLearningTheTcFromALaterTimeoutVoteBroadcastsItsOwnButNotOnAProposal() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        TimeoutCertificate tc1 = h.tc(1, h.genesisQc, 1, 2, 3);
        List<Effect> out = replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 2, h.genesisQc, tc1)), 10);
        assertEquals(v(2), replica.currentView());
        List<Effect.BroadcastTimeoutVote> sent = effects(out, Effect.BroadcastTimeoutVote.class);
        assertEquals(1, sent.size(), out.toString());
        assertEquals(v(1), sent.getFirst().vote().view());

        // A proposal that carries the TC means its leader has it already: nothing to sign.
        ConsensusCore other = h.core(h.leader(2) == 3 ? 2 : 3);
        other.handle(new Input.Start(), 0);
        Leaf leaf = h.leaf(2, h.genesis, h.genesisQc, "b2");
        List<Effect> onProposal = other.handle(new Input.ProposalReceived(h.leader(2),
                h.proposal(leaf, h.genesisQc, Optional.of(tc1))), 10);
        assertEquals(v(2), other.currentView());
        assertEquals(List.of(), effects(onProposal, Effect.BroadcastTimeoutVote.class));
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
