package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static dev.cortado.node.consensus.CoreHarness.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Digests;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, restarts, locks and buffering of one scripted core (n = 4, leader of view v is v mod 4); the happy path
 * and decisions are in {@link ConsensusCoreTest}.
 */
class ConsensusCoreTimeoutTest {
    private final CoreHarness h = new CoreHarness(4);

    @Test
    void timeoutPersistsBeforeBroadcastingThenBacksOffAndBlocksVoting() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        List<Effect> out = replica.handle(new Input.Timeout(v(1)), 1_000);
        int persist = CoreHarness.indexOf(out, Effect.PersistSafety.class);
        int broadcast = CoreHarness.indexOf(out, Effect.BroadcastTimeoutVote.class);
        assertTrue(persist >= 0 && broadcast > persist, out.toString());
        assertEquals(List.of(new Effect.ScheduleTimeout(v(1), 3_000)), effects(out, Effect.ScheduleTimeout.class));
        TimeoutVote vote = effects(out, Effect.BroadcastTimeoutVote.class).getFirst().vote();
        assertTrue(h.crypto.verify(0, Digests.timeoutVote(CoreHarness.CHAIN, v(1), v(0)), vote.signature()));

        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1_100);
        List<Effect> da = replica.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 1_101);
        assertTrue(effects(da, Effect.SendVote.class).isEmpty(), "no vote in a view after timing out in it");

        List<Effect> retry = replica.handle(new Input.Timeout(v(1)), 3_000);
        assertEquals(List.of(new Effect.ScheduleTimeout(v(1), 7_000)), effects(retry, Effect.ScheduleTimeout.class));
        assertEquals(1, effects(retry, Effect.BroadcastTimeoutVote.class).size(), "the timeout vote is re-sent");
        assertTrue(effects(retry, Effect.PersistSafety.class).isEmpty());
        assertInstanceOf(Verdict.Ignore.class, verdict(replica.handle(new Input.Timeout(v(7)), 3_001)));
    }

    @Test
    void timeoutCertificateAdvancesTheViewAndOnlyADecisionResetsTheBackoff() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.Timeout(v(1)), 1_000);
        replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 1, h.genesisQc)), 1_010);
        List<Effect> out = replica.handle(new Input.TimeoutVoteReceived(2, h.timeoutVote(2, 1, h.genesisQc)), 1_020);
        assertEquals(v(2), replica.currentView());
        assertEquals(List.of(new Effect.ScheduleTimeout(v(2), 3_020)), effects(out, Effect.ScheduleTimeout.class),
                "one consecutive timeout doubles the next view's timer");

        TimeoutCertificate tc1 = h.tc(1, h.genesisQc, 0, 1, 2);
        Leaf b = h.leaf(2, h.genesis, h.genesisQc, "b");
        QuorumCertificate qcB = h.qc(b, 1, 2, 3);
        replica.handle(new Input.ProposalReceived(2, h.proposal(b, h.genesisQc, Optional.of(tc1))), 1_030);
        Leaf c = h.leaf(3, b, qcB, "c");
        List<Effect> qcOnly = replica.handle(new Input.ProposalReceived(3, h.proposal(c, qcB, Optional.empty())),
                1_040);
        assertEquals(v(3), replica.currentView());
        assertEquals(List.of(new Effect.ScheduleTimeout(v(3), 3_040)), effects(qcOnly, Effect.ScheduleTimeout.class),
                "a QC without a decision keeps the backoff");

        // QC(c) completes the two-chain b <- c in views 2, 3: b is decided and the next view runs on the base.
        QuorumCertificate qcC = h.qc(c, 1, 2, 3);
        List<Effect> decided = replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 4, qcC)), 1_050);
        assertEquals(List.of(b), effects(decided, Effect.Decide.class).stream().findFirst().orElseThrow(
                () -> new AssertionError(decided.toString())).leaves());
        assertEquals(List.of(new Effect.ScheduleTimeout(v(4), 2_050)), effects(decided, Effect.ScheduleTimeout.class));
    }

    @Test
    void leaderAfterATimeoutProposesOnTheHighestQcCarriedByTheTimeoutVotes() {
        ConsensusCore leader = h.core(3);
        leader.handle(new Input.Start(), 0);
        Leaf a = h.leafA();
        QuorumCertificate qcA = h.qc(a, 0, 1, 2);
        leader.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        // Replica 1 saw QC(A) and timed out in view 2; its timeout vote carries QC(A) and moves us to view 2.
        leader.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 2, qcA)), 2);
        assertEquals(v(2), leader.currentView());
        // A second timeout vote brings half the stake: the leader joins, and its own vote completes the TC.
        List<Effect> out = leader.handle(new Input.TimeoutVoteReceived(0, h.timeoutVote(0, 2, h.genesisQc)), 3);
        assertEquals(v(3), leader.currentView());
        assertEquals(List.of(new Effect.BuildBlock(v(3), a)), effects(out, Effect.BuildBlock.class));

        List<Effect> built = leader.handle(new Input.BlockBuilt(v(3), CoreHarness.block("c")), 5);
        Proposal proposal = effects(built, Effect.BroadcastProposal.class).getFirst().proposal();
        assertEquals(qcA, proposal.justifyQc());
        TimeoutCertificate tc = proposal.viewChange().orElseThrow();
        assertEquals(v(2), tc.view());
        assertEquals(qcA, tc.highQc(), "the TC carries the highest QC seen in the timeout votes");
        // Jolteon: one part per signed high-QC view; the TC proves qcA is the highest any signer knew.
        assertEquals(List.of(v(0), v(1)), tc.parts().stream().map(TimeoutCertificate.Part::highQcView).toList());
        assertEquals(1, tc.parts().get(0).signature().signerCount());
        assertTrue(tc.parts().get(0).signature().isSigner(0));
        assertEquals(2, tc.parts().get(1).signature().signerCount(), "replica 1 and the leader signed QC(A)'s view");
        assertTrue(tc.parts().get(1).signature().isSigner(1) && tc.parts().get(1).signature().isSigner(3));
        for (TimeoutCertificate.Part part : tc.parts()) {
            assertTrue(h.crypto.verifyAggregate(Digests.timeoutVote(CoreHarness.CHAIN, v(2), part.highQcView()),
                    part.signature()));
        }
        assertEquals(Optional.empty(), VotingRules.viewChangeRule(v(3), proposal.justifyQc(), proposal.viewChange()));
    }

    @Test
    void restartedReplicaNeverVotesTwiceInAView() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        List<Effect> da = replica.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 2);
        SafetyState persisted = effects(da, Effect.PersistSafety.class).getFirst().state();

        ConsensusCore restarted = h.core(0, persisted, h.genesis);
        restarted.handle(new Input.Start(), 100);
        assertEquals(v(1), restarted.currentView());
        restarted.handle(new Input.ProposalReceived(1, h.proposalA()), 101);
        List<Effect> again = restarted.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 102);
        assertTrue(effects(again, Effect.SendVote.class).isEmpty(), again.toString());
    }

    @Test
    void restartedLeaderNeverProposesTwiceInAView() {
        ConsensusCore leader = h.core(1);
        leader.handle(new Input.Start(), 0);
        List<Effect> built = leader.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a")), 1);
        SafetyState persisted = effects(built, Effect.PersistSafety.class).getLast().state();

        ConsensusCore restarted = h.core(1, persisted, h.genesis);
        List<Effect> start = restarted.handle(new Input.Start(), 100);
        assertEquals(v(1), restarted.currentView());
        assertTrue(effects(start, Effect.BuildBlock.class).isEmpty(), "no second block for view 1: " + start);
        Verdict late = verdict(restarted.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a2")), 101));
        assertInstanceOf(Verdict.Ignore.class, late);
    }

    @Test
    void leaderThatTimedOutDoesNotProposeLate() {
        ConsensusCore leader = h.core(1);
        leader.handle(new Input.Start(), 0);
        leader.handle(new Input.Timeout(v(1)), 1_000);
        List<Effect> late = leader.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a")), 1_001);
        assertTrue(effects(late, Effect.BroadcastProposal.class).isEmpty());
        assertInstanceOf(Verdict.Ignore.class, verdict(late));
    }

    @Test
    void lockedReplicaRefusesAStaleForkButFollowsANewerQc() {
        CoreHarness h7 = new CoreHarness(7);
        ConsensusCore replica = h7.core(6);
        replica.handle(new Input.Start(), 0);
        Leaf a = h7.leaf(1, h7.genesis, h7.genesisQc, "a");
        QuorumCertificate qcA = h7.qc(a, 0, 1, 2, 3, 4);
        Leaf b = h7.leaf(2, a, qcA, "b");
        QuorumCertificate qcB = h7.qc(b, 0, 1, 2, 3, 4);
        Leaf c = h7.leaf(3, b, qcB, "c");
        for (Proposal p : List.of(h7.proposal(a, h7.genesisQc, Optional.empty()), h7.proposal(b, qcA, Optional.empty()),
                h7.proposal(c, qcB, Optional.empty()))) {
            replica.handle(new Input.ProposalReceived(p.proposer(), p), 1);
            replica.handle(new Input.DataAvailable(p.leaf().view(), p.leaf().blockCommitment()), 1);
        }
        assertEquals(new SafetyState(v(3), qcB), replica.safetyState());

        // A TC whose signers named QC(B), carried with a justify of the stale QC(A): the fork is well formed,
        // but neither the lock nor the TC's proven high QC allows a vote for it.
        TimeoutCertificate tc3 = h7.tc(3, qcB, 0, 1, 2, 3, 4);
        Leaf fork = h7.leaf(4, a, qcA, "fork");
        List<Effect> out = replica.handle(new Input.ProposalReceived(4, h7.proposal(fork, qcA, Optional.of(tc3))), 2);
        assertInstanceOf(Verdict.Accept.class, verdict(out));
        assertFalse(VotingRules.safetyCheck(qcA, qcB, new LeafStore(h7.genesis, 1)));
        assertFalse(VotingRules.livenessCheck(qcA, qcB));
        List<Effect> da = replica.handle(new Input.DataAvailable(v(4), CoreHarness.block("fork")), 3);
        assertTrue(effects(da, Effect.SendVote.class).isEmpty(), "locked on QC(B): no vote for a fork from A");

        // The same TC with its high QC swapped for QC(A): its signers named QC(B), so it proves nothing.
        TimeoutCertificate swapped = new TimeoutCertificate(v(3), qcA, tc3.parts());
        ConsensusCore other = h7.core(5);
        other.handle(new Input.Start(), 0);
        Verdict lying = verdict(other.handle(new Input.ProposalReceived(4, h7.proposal(fork, qcA, Optional.of(swapped))), 2));
        assertInstanceOf(Verdict.Reject.class, lying);
        assertTrue(lying.reason().contains("a signer named one of View(2)"), lying.reason());

        // View 5 after a TC that carries QC(C): newer than the lock, so the liveness check lets it through.
        QuorumCertificate qcC = h7.qc(c, 0, 1, 2, 3, 4);
        TimeoutCertificate tc4 = h7.tc(4, qcC, 0, 1, 2, 3, 4);
        Leaf d = h7.leaf(5, c, qcC, "d");
        Verdict accepted = verdict(replica.handle(new Input.ProposalReceived(5, h7.proposal(d, qcC, Optional.of(tc4))), 4));
        assertInstanceOf(Verdict.Accept.class, accepted, accepted.reason());
        List<Effect> vote = replica.handle(new Input.DataAvailable(v(5), CoreHarness.block("d")), 5);
        assertEquals(List.of(new Effect.PersistSafety(new SafetyState(v(5), qcC))),
                effects(vote, Effect.PersistSafety.class), "voted (to itself: replica 6 leads view 6)");
    }

    @Test
    void proposalBreakingTheViewChangeRuleIsRejected() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        Leaf a = h.leafA();
        QuorumCertificate qcA = h.qc(a, 1, 2, 3);
        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        // View 3 on QC(1) with no TC for view 2.
        Leaf skip = h.leaf(3, a, qcA, "skip");
        Verdict noTc = verdict(replica.handle(new Input.ProposalReceived(3, h.proposal(skip, qcA, Optional.empty())), 2));
        assertInstanceOf(Verdict.Reject.class, noTc);
        assertTrue(noTc.reason().contains("without a timeout certificate"), noTc.reason());
        // A QC without enough stake.
        Leaf b = h.leaf(2, a, qcA, "b");
        QuorumCertificate weak = h.qc(a, 1, 2);
        Verdict weakQc = verdict(replica.handle(new Input.ProposalReceived(2, h.proposal(b, weak, Optional.empty())), 3));
        assertInstanceOf(Verdict.Reject.class, weakQc);
        assertTrue(weakQc.reason().contains("not more than 2/3"), weakQc.reason());
    }

    @Test
    void futureSpamIsBoundedPerSenderAndInTotal() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        for (int view = 3; view < 7; view++) {
            assertInstanceOf(Verdict.Defer.class,
                    verdict(replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, view, h.genesisQc)), 1)));
        }
        Verdict overSender = verdict(replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 7, h.genesisQc)), 2));
        assertInstanceOf(Verdict.Ignore.class, overSender);
        assertTrue(overSender.reason().contains("sender 1"), overSender.reason());
        for (int view = 3; view < 7; view++) {
            replica.handle(new Input.TimeoutVoteReceived(2, h.timeoutVote(2, view, h.genesisQc)), 3);
        }
        replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 3, h.genesisQc)), 4);
        replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 4, h.genesisQc)), 4);
        assertEquals(10, replica.bufferedFutureMessages());
        Verdict full = verdict(replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 5, h.genesisQc)), 5));
        assertTrue(full.reason().contains("full"), full.reason());
        Verdict far = verdict(replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 500, h.genesisQc)), 6));
        assertTrue(far.reason().contains("views ahead"), far.reason());
    }

    @Test
    void bufferedMessagesReplayWhenTheViewArrives() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 2, h.genesisQc)), 1);
        replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 2, h.genesisQc)), 1);
        replica.handle(new Input.Timeout(v(1)), 1_000);
        replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 1, h.genesisQc)), 1_001);
        List<Effect> out = replica.handle(new Input.TimeoutVoteReceived(2, h.timeoutVote(2, 1, h.genesisQc)), 1_002);
        assertEquals(0, replica.bufferedFutureMessages());
        long replayedAccepts = effects(out, Effect.LogVerdict.class).stream()
                .filter(l -> l.view().equals(v(2)) && l.verdict() instanceof Verdict.Accept).count();
        assertEquals(2, replayedAccepts, out.toString());
        // The two replayed timeout votes hold half the stake: the replica joins them and the TC of 2 forms.
        assertEquals(List.of(v(2)), effects(out, Effect.BroadcastTimeoutVote.class).stream()
                .map(b -> b.vote().view()).toList());
        assertEquals(v(3), replica.currentView());
    }

    @Test
    void everyViewChangeIsRecordedWithItsReason() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.Timeout(v(1)), 1_000);
        List<Transition> log = replica.recentTransitions();
        assertEquals("start", log.getFirst().reason());
        assertTrue(log.getLast().reason().contains("timed out"), log.toString());
    }
}
