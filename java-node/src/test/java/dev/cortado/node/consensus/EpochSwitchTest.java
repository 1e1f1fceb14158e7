package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static dev.cortado.node.consensus.CoreHarness.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The voting table switches at the decided handover. n = 4, epochs of two blocks: leaf A (view 1, height 1) is epoch
 * 0's handover, naming epoch 1's table, in which replicas 0, 1 and 2 hold stake and replica 3 only observes. Leaf S
 * (view 2, height 2) is an empty suffix leaf of epoch 0; the epoch-0 QC on S forms the two-chain that decides A.
 */
class EpochSwitchTest {
    private static final Bytes32 TABLE_1 = CoreHarness.block("table of epoch 1");

    private final CoreHarness h = new CoreHarness(4);
    private final StakeWeights table1 = StakeWeights.ofEpoch(new long[] {10, 10, 10, 0});
    private final LeaderSchedule schedule1 = new LeaderSchedule(table1);
    private final Epochs epochs = Epochs.of(new EpochSchedule(2, 1),
            e -> Optional.of(EpochTable.everyMemberDa(e == 1 ? table1 : h.config.stakes(), CoreHarness.block("table of epoch " + e))));
    private final ConsensusConfig config = h.config.withEpochs(epochs);

    private final Leaf a = new Leaf(CoreHarness.CHAIN, v(1), new Height(1), h.genesis.commitment(),
            CoreHarness.block("a"), View.ZERO, TABLE_1);
    private final QuorumCertificate qcA = qc(0, a, 0, 1, 2);
    private final Leaf s = new Leaf(CoreHarness.CHAIN, v(2), new Height(2), a.commitment(), Bytes32.ZERO, v(1));
    private final QuorumCertificate qcS = qc(0, s, 0, 1, 2);

    private ConsensusCore core(int index, SafetyState safety, Leaf lastDecided) {
        return new ConsensusCore(config, h.signers[index], h.crypto, safety, lastDecided);
    }

    private QuorumCertificate qc(long epoch, Leaf leaf, int... voters) {
        Bytes32 digest = Digests.quorumVote(CoreHarness.CHAIN, epoch, leaf.view(), leaf.commitment());
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        for (int voter : voters) {
            sigs.put(voter, h.signers[voter].sign(digest));
        }
        return new QuorumCertificate(leaf.view(), leaf.commitment(), h.crypto.aggregate(digest, sigs), epoch);
    }

    private Proposal proposal(long epoch, int proposer, Leaf leaf, QuorumCertificate justify) {
        return new Proposal(leaf, justify, Optional.empty(), proposer, h.signers[proposer].sign(
                Digests.quorumVote(CoreHarness.CHAIN, epoch, leaf.view(), leaf.commitment())), epoch);
    }

    /** A replica that decided A and entered epoch 1 (restarted there with a fresh safety state). */
    private ConsensusCore inEpochOne(int index) {
        ConsensusCore core = core(index, new SafetyState(v(2), qcA), a);
        core.handle(new Input.Start(), 0);
        assertEquals(1, core.epoch());
        return core;
    }

    @Test
    void aVoteFromANonMemberIsRefusedBeforeItsSignatureIsChecked() {
        ConsensusCore leader = inEpochOne(schedule1.leader(v(4)));
        QuorumVote junk = new QuorumVote(v(3), CoreHarness.block("x"), 3, new Signature(new byte[32]), 1);
        Verdict verdict = verdict(leader.handle(new Input.VoteReceived(3, junk), 10));
        assertInstanceOf(Verdict.Reject.class, verdict);
        assertEquals("voter 3 is not a member of the stake table of epoch 1", verdict.reason());
    }

    @Test
    void aQcOfTheNewEpochSignedByTheOldTableIsRefused() {
        ConsensusCore replica = inEpochOne(0);
        Leaf n = new Leaf(CoreHarness.CHAIN, v(3), new Height(2), a.commitment(), CoreHarness.block("n"), v(1));
        // Three of the four genesis replicas: a quorum of epoch 0's table, but replica 3 has no stake in epoch 1.
        QuorumCertificate byOldTable = qc(1, n, 1, 2, 3);
        TimeoutVote vote = new TimeoutVote(v(4), byOldTable, Optional.empty(), 1, h.signers[1].sign(
                Digests.timeoutVote(CoreHarness.CHAIN, 1, v(4), v(3))), 1);
        Verdict verdict = verdict(replica.handle(new Input.TimeoutVoteReceived(1, vote), 10));
        assertInstanceOf(Verdict.Reject.class, verdict);
        assertEquals("timeout vote of 1: QC of View(3) names a signer outside the stake table of epoch 1",
                verdict.reason());
    }

    @Test
    void aSuffixLeafCarryingABlockIsRefused() {
        ConsensusCore replica = core(0, SafetyState.initial(CoreHarness.CHAIN), h.genesis);
        replica.handle(new Input.Start(), 0);
        replica.handle(new Input.ProposalReceived(h.leader(1),
                proposal(0, h.leader(1), a, h.genesisQc)), 5);
        Leaf withBlock = new Leaf(CoreHarness.CHAIN, v(2), new Height(2), a.commitment(), CoreHarness.block("lost"),
                v(1));
        Verdict verdict = verdict(replica.handle(new Input.ProposalReceived(h.leader(2),
                proposal(0, h.leader(2), withBlock, qcA)), 10));
        assertInstanceOf(Verdict.Reject.class, verdict);
        assertEquals("suffix leaf at " + new Height(2) + " (after the handover of epoch 0) carries a block",
                verdict.reason());
    }

    @Test
    void aReplicaRestartedAcrossTheBoundaryWithAnOldEpochLockVotesForTheNewEpoch() {
        // A member of epoch 1 that neither leads view 3 nor collects its votes (so its vote leaves as SendVote).
        int voter = 0;
        while (voter == schedule1.leader(v(3)) || voter == schedule1.leader(v(4))) {
            voter++;
        }
        // Persisted before the crash: it voted for the suffix leaf S and locked on the epoch-0 QC of A's successor.
        ConsensusCore replica = core(voter, new SafetyState(v(2), qcS), a);
        replica.handle(new Input.Start(), 0);
        assertEquals(1, replica.epoch());
        assertEquals(v(3), replica.currentView());
        Leaf first = new Leaf(CoreHarness.CHAIN, v(3), new Height(2), a.commitment(), CoreHarness.block("n"), v(1));
        int leader = schedule1.leader(v(3));
        Verdict verdict = verdict(replica.handle(new Input.ProposalReceived(leader, proposal(1, leader, first, qcA)), 5));
        assertInstanceOf(Verdict.Accept.class, verdict, verdict.reason());
        List<Effect> da = replica.handle(new Input.DataAvailable(v(3), CoreHarness.block("n")), 6);
        List<Effect.SendVote> votes = effects(da, Effect.SendVote.class);
        assertEquals(1, votes.size(), "the old-epoch lock gives way to the decided handover");
        assertEquals(1, votes.getFirst().vote().epoch());
        assertEquals(qcA, effects(da, Effect.PersistSafety.class).getFirst().state().lockedQc());
    }

    @Test
    void theHandoverProofSwitchesAStrandedReplica() {
        ConsensusCore stranded = core(3, SafetyState.initial(CoreHarness.CHAIN), h.genesis);
        stranded.handle(new Input.Start(), 0);
        HandoverProof proof = new HandoverProof(0, Optional.of(qcA), qcS, List.of(a, s));
        List<Effect> out = stranded.handle(new Input.HandoverProofReceived(1, proof), 10);
        Verdict verdict = effects(out, Effect.LogVerdict.class).stream().filter(l -> l.input().equals("handover-proof"))
                .findFirst().orElseThrow().verdict();
        assertInstanceOf(Verdict.Accept.class, verdict, verdict.reason());
        assertEquals(1, stranded.epoch());
        assertEquals(a, stranded.lastDecided());
        List<Effect.Decide> decided = effects(out, Effect.Decide.class);
        assertEquals(List.of(a), decided.getFirst().leaves(), "the suffix leaf S is never decided");
        assertEquals(1, effects(out, Effect.BroadcastHandoverProof.class).size());
        assertEquals(qcA, stranded.highQc());
    }

    /**
     * A replica several epochs behind walks them one proof at a time, and every proof but a one-block epoch's lacks
     * the epoch's first leaves (the proof starts at the handover), so it decides only once the fetched leaves come.
     * The next request must leave then, to the peer that proved it: waiting for the view timer let the others run
     * an epoch or more ahead per step ({@code rotating-tables-n31:3330}: a restarted replica fell from 27 to 50
     * epochs behind).
     */
    @Test
    void aProofDecidedOnlyOnceItsMissingLeafArrivesAsksTheSamePeerForTheNextAtOnce() {
        ConsensusCore behind = inEpochOne(3);
        Leaf b2 = new Leaf(CoreHarness.CHAIN, v(3), new Height(2), a.commitment(), CoreHarness.block("b2"), v(1));
        Leaf b3 = new Leaf(CoreHarness.CHAIN, v(4), new Height(3), b2.commitment(), CoreHarness.block("b3"), v(3),
                CoreHarness.block("table of epoch 2"));
        Leaf s4 = new Leaf(CoreHarness.CHAIN, v(5), new Height(4), b3.commitment(), Bytes32.ZERO, v(4));
        HandoverProof proof = new HandoverProof(1, Optional.of(qc(1, b3, 0, 1, 2)), qc(1, s4, 0, 1, 2),
                List.of(b3, s4));

        List<Effect> taken = behind.handle(new Input.HandoverProofReceived(2, proof), 10);
        assertEquals(1, behind.epoch(), "B2 is missing: nothing decided yet");
        assertEquals(List.of(b2.commitment()), effects(taken, Effect.FetchLeaves.class).stream()
                .filter(f -> f.peer() == 2).map(Effect.FetchLeaves::commitment).toList());

        List<Effect> arrived = behind.handle(new Input.LeavesReceived(2, List.of(b2)), 20);
        assertEquals(2, behind.epoch());
        assertEquals(b3, behind.lastDecided());
        assertEquals(List.of(new Effect.FetchHandoverProof(2, 2)), effects(arrived, Effect.FetchHandoverProof.class));
    }

    @Test
    void aForgedHandoverProofIsRefusedOnItsShapeBeforeAnySignature() {
        ConsensusCore stranded = core(3, SafetyState.initial(CoreHarness.CHAIN), h.genesis);
        stranded.handle(new Input.Start(), 0);
        Leaf notHandover = h.leafA();
        HandoverProof forged = new HandoverProof(0, Optional.of(qc(0, notHandover, 0, 1, 2)), qcS,
                List.of(notHandover, s));
        Verdict verdict = verdict(stranded.handle(new Input.HandoverProofReceived(1, forged), 10));
        assertInstanceOf(Verdict.Reject.class, verdict);
        assertTrue(verdict.reason().startsWith("handover proof: "), verdict.reason());
        assertEquals(0, stranded.epoch());
    }
}
