package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static dev.cortado.node.consensus.CoreHarness.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Digests;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scripts one core (n = 4, leader of view v is v mod 4): inputs in, expected effects out. */
class ConsensusCoreTest {
    private final CoreHarness h = new CoreHarness(4);

    @Test
    void startEntersViewOneAndArmsItsTimer() {
        List<Effect> out = h.core(0).handle(new Input.Start(), 500);
        assertEquals(List.of(new Effect.ScheduleTimeout(v(1), 1_500)), effects(out, Effect.ScheduleTimeout.class));
        assertTrue(effects(out, Effect.BuildBlock.class).isEmpty(), "replica 0 does not lead view 1");
    }

    @Test
    void leaderBuildsProposesAndVotesAfterPersisting() {
        ConsensusCore leader = h.core(1);
        List<Effect> start = leader.handle(new Input.Start(), 0);
        assertEquals(List.of(new Effect.BuildBlock(v(1), h.genesis)), effects(start, Effect.BuildBlock.class));

        List<Effect> built = leader.handle(new Input.BlockBuilt(v(1), CoreHarness.block("a")), 1);
        Proposal proposal = effects(built, Effect.BroadcastProposal.class).getFirst().proposal();
        int persisted = CoreHarness.indexOf(built, Effect.PersistSafety.class);
        assertTrue(persisted >= 0 && persisted < CoreHarness.indexOf(built, Effect.BroadcastProposal.class),
                "the proposal signature is a vote: persisted first " + built);
        assertEquals(h.leafA(), proposal.leaf());
        assertEquals(h.genesisQc, proposal.justifyQc());
        assertTrue(h.crypto.verify(1, Digests.quorumVote(CoreHarness.CHAIN, v(1), h.leafA().commitment()),
                proposal.signature()));
        assertTrue(effects(built, Effect.SendVote.class).isEmpty(), "no vote before the data is available");

        List<Effect> da = leader.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 2);
        int persist = CoreHarness.indexOf(da, Effect.PersistSafety.class);
        int send = CoreHarness.indexOf(da, Effect.SendVote.class);
        assertTrue(persist >= 0 && send > persist, "PersistSafety precedes SendVote: " + da);
        assertEquals(new SafetyState(v(1), h.genesisQc), effects(da, Effect.PersistSafety.class).getFirst().state());
        assertEquals(2, effects(da, Effect.SendVote.class).getFirst().to(), "votes go to the next leader");
    }

    @Test
    void replicaVotesOnlyOnceDataIsAvailable() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        List<Effect> received = replica.handle(new Input.ProposalReceived(1, h.proposalA()), 10);
        assertInstanceOf(Verdict.Accept.class, verdict(received));
        assertTrue(effects(received, Effect.SendVote.class).isEmpty());

        List<Effect> da = replica.handle(new Input.DataAvailable(v(1), CoreHarness.block("a")), 11);
        Effect.SendVote vote = effects(da, Effect.SendVote.class).getFirst();
        assertEquals(h.vote(0, 1, h.leafA().commitment()), vote.vote());
        assertTrue(CoreHarness.indexOf(da, Effect.PersistSafety.class) < CoreHarness.indexOf(da, Effect.SendVote.class));
    }

    @Test
    void everyVerdictKind() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        assertInstanceOf(Verdict.Accept.class, verdict(replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1)));
        Verdict duplicate = verdict(replica.handle(new Input.ProposalReceived(1, h.proposalA()), 2));
        assertInstanceOf(Verdict.Ignore.class, duplicate);
        assertTrue(duplicate.reason().contains("duplicate"), duplicate.reason());

        Proposal notLeader = h.proposalBy(2, h.leaf(1, h.genesis, h.genesisQc, "x"), h.genesisQc, Optional.empty());
        Verdict wrongLeader = verdict(replica.handle(new Input.ProposalReceived(2, notLeader), 3));
        assertInstanceOf(Verdict.Reject.class, wrongLeader);
        assertTrue(wrongLeader.reason().contains("not the leader"), wrongLeader.reason());

        Proposal forged = new Proposal(h.leaf(1, h.genesis, h.genesisQc, "y"), h.genesisQc, Optional.empty(), 1,
                h.signers[2].sign(Digests.quorumVote(CoreHarness.CHAIN, v(1), h.leafA().commitment())));
        assertInstanceOf(Verdict.Reject.class, verdict(replica.handle(new Input.ProposalReceived(1, forged), 4)));

        // A timeout vote for a later view waits in the future buffer.
        Verdict future = verdict(replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 5, h.genesisQc)), 5));
        assertInstanceOf(Verdict.Defer.class, future);
        assertEquals(1, replica.bufferedFutureMessages());
    }

    @Test
    void proposalWithUnknownParentIsDeferredUntilTheParentIsFetched() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        Leaf a = h.leafA();
        QuorumCertificate qcA = h.qc(a, 1, 2, 3);
        Leaf b = h.leaf(2, a, qcA, "b");
        List<Effect> out = replica.handle(new Input.ProposalReceived(2, h.proposal(b, qcA, Optional.empty())), 10);
        assertInstanceOf(Verdict.Defer.class, verdict(out));
        assertTrue(effects(out, Effect.FetchLeaves.class).contains(new Effect.FetchLeaves(2, a.commitment())),
                "the proposer, which must hold the parent, is asked: " + out);
        assertEquals(v(2), replica.currentView(), "QC(1) moved the replica into view 2");

        List<Effect> fetched = replica.handle(new Input.LeavesReceived(2, List.of(a)), 20);
        assertInstanceOf(Verdict.Accept.class, verdict(fetched));
        assertEquals(b, replica.knownLeaf(b.commitment()));
        List<Effect> da = replica.handle(new Input.DataAvailable(v(2), CoreHarness.block("b")), 21);
        assertEquals(h.vote(0, 2, b.commitment()), effects(da, Effect.SendVote.class).getFirst().vote());

        Verdict unrequested = verdict(replica.handle(new Input.LeavesReceived(3, List.of(h.leaf(1, h.genesis,
                h.genesisQc, "junk"))), 22));
        assertInstanceOf(Verdict.Ignore.class, unrequested);
    }

    @Test
    void equivocatingLeaderIsCaught() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        Proposal other = h.proposal(h.leaf(1, h.genesis, h.genesisQc, "a2"), h.genesisQc, Optional.empty());
        List<Effect> out = replica.handle(new Input.ProposalReceived(1, other), 2);
        assertInstanceOf(Verdict.Reject.class, verdict(out));
        Evidence evidence = effects(out, Effect.ReportEquivocation.class).getFirst().evidence();
        assertEquals(new Evidence.ProposalEquivocation(v(1), 1, h.proposalA(), other), evidence);
        assertEquals(List.of(evidence), replica.evidence());
    }

    @Test
    void doubleVoteIsCaughtByTheNextLeader() {
        ConsensusCore nextLeader = h.core(2);
        nextLeader.handle(new Input.Start(), 0);
        assertInstanceOf(Verdict.Accept.class,
                verdict(nextLeader.handle(new Input.VoteReceived(0, h.vote(0, 1, h.leafA().commitment())), 1)));
        QuorumVote second = h.vote(0, 1, CoreHarness.block("elsewhere"));
        List<Effect> out = nextLeader.handle(new Input.VoteReceived(0, second), 2);
        assertInstanceOf(Verdict.Reject.class, verdict(out));
        assertInstanceOf(Evidence.VoteEquivocation.class,
                effects(out, Effect.ReportEquivocation.class).getFirst().evidence());
        assertEquals(1, nextLeader.evidence().size());
    }

    @Test
    void nextLeaderFormsQcAboveTwoThirdsAndProposesAtOnce() {
        ConsensusCore nextLeader = h.core(2);
        nextLeader.handle(new Input.Start(), 0);
        nextLeader.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        Leaf a = h.leafA();
        nextLeader.handle(new Input.VoteReceived(0, h.vote(0, 1, a.commitment())), 2);
        List<Effect> half = nextLeader.handle(new Input.VoteReceived(1, h.vote(1, 1, a.commitment())), 3);
        assertEquals(v(1), nextLeader.currentView(), "half the stake is no quorum");
        assertTrue(effects(half, Effect.BuildBlock.class).isEmpty());
        List<Effect> out = nextLeader.handle(new Input.VoteReceived(3, h.vote(3, 1, a.commitment())), 4);
        assertEquals(v(2), nextLeader.currentView());
        assertEquals(List.of(new Effect.BuildBlock(v(2), a)), effects(out, Effect.BuildBlock.class));
        assertEquals(v(1), nextLeader.highQc().view());
        assertEquals(a.commitment(), nextLeader.highQc().leafCommitment());
        assertTrue(h.crypto.verifyAggregate(Digests.quorumVote(CoreHarness.CHAIN, v(1), a.commitment()),
                nextLeader.highQc().signature()));
        Verdict late = verdict(nextLeader.handle(new Input.VoteReceived(2, h.vote(2, 1, a.commitment())), 5));
        assertInstanceOf(Verdict.Ignore.class, late);
    }

    @Test
    void twoChainInConsecutiveViewsDecides() {
        ConsensusCore replica = h.core(0);
        replica.handle(new Input.Start(), 0);
        Leaf a = h.leafA();
        QuorumCertificate qcA = h.qc(a, 1, 2, 3);
        Leaf b = h.leaf(2, a, qcA, "b");
        QuorumCertificate qcB = h.qc(b, 1, 2, 3);
        Leaf c = h.leaf(3, b, qcB, "c");
        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        List<Effect> second = replica.handle(new Input.ProposalReceived(2, h.proposal(b, qcA, Optional.empty())), 2);
        assertTrue(effects(second, Effect.Decide.class).isEmpty(), "QC(A) alone decides nothing");
        List<Effect> third = replica.handle(new Input.ProposalReceived(3, h.proposal(c, qcB, Optional.empty())), 3);
        assertEquals(List.of(new Effect.Decide(List.of(a), b, qcB)), effects(third, Effect.Decide.class));
        assertEquals(a, replica.lastDecided());
    }

    @Test
    void twoChainAcrossATimeoutDoesNotDecideUntilViewsAreConsecutive() {
        ConsensusCore replica = h.core(2);
        replica.handle(new Input.Start(), 0);
        Leaf a = h.leafA();
        QuorumCertificate qcA = h.qc(a, 0, 1, 3);
        TimeoutCertificate tc2 = h.tc(2, qcA, 0, 1, 3);
        Leaf b = h.leaf(3, a, qcA, "b");
        QuorumCertificate qcB = h.qc(b, 0, 1, 3);
        Leaf c = h.leaf(4, b, qcB, "c");
        QuorumCertificate qcC = h.qc(c, 0, 1, 3);
        Leaf d = h.leaf(5, c, qcC, "d");
        replica.handle(new Input.ProposalReceived(1, h.proposalA()), 1);
        replica.handle(new Input.ProposalReceived(3, h.proposal(b, qcA, Optional.of(tc2))), 2);
        List<Effect> atC = replica.handle(new Input.ProposalReceived(0, h.proposal(c, qcB, Optional.empty())), 3);
        assertTrue(effects(atC, Effect.Decide.class).isEmpty(), "B (view 3) does not follow A (view 1) directly");
        List<Effect> atD = replica.handle(new Input.ProposalReceived(1, h.proposal(d, qcC, Optional.empty())), 4);
        assertEquals(List.of(new Effect.Decide(List.of(a, b), c, qcC)), effects(atD, Effect.Decide.class));
    }
}
