package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.effects;
import static dev.cortado.node.consensus.CoreHarness.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 4, the hidden lock (n = 4, leader of view v is v mod 4). Byzantine replica 2 leads view 2: it forms
 * QC(A) from the view-1 votes, shows it only to honest replica 0 (in its view-2 proposal), and withholds its
 * own votes. Replicas 1 and 3 never see QC(A); the TC of view 2 is made of 1, 3 and the Byzantine 2, all
 * naming the genesis QC. The view-3 leader extends that. Replica 0 is locked on QC(A): under a rule that
 * compares only with its own lock it refuses, and with 2 withholding no QC ever forms again. With the TC
 * proving that none of its signers knew a QC newer than genesis, replica 0 votes and its vote lets the honest three form QCs again.
 */
class HiddenLockTest {
    private final CoreHarness h = new CoreHarness(4);

    @Test
    void replicaLockedOnAHiddenQcFollowsTheTcAndDecisionsContinue() {
        Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
        QuorumCertificate qcA = h.qc(a, 0, 1, 3);
        Leaf b = h.leaf(2, a, qcA, "b");
        TimeoutCertificate tc2 = h.tc(2, h.genesisQc, 1, 2, 3);
        Leaf c = h.leaf(3, h.genesis, h.genesisQc, "c");

        ConsensusCore victim = h.core(0);
        victim.handle(new Input.Start(), 0);
        deliver(victim, h.proposal(a, h.genesisQc, Optional.empty()), 1);
        deliver(victim, h.proposal(b, qcA, Optional.empty()), 2);
        assertEquals(qcA, victim.safetyState().lockedQc(), "locked on the QC only it has seen");

        // Replicas 1 and 3 saw view 1's proposal but never QC(A): their highest QC is genesis.
        victim.handle(new Input.Timeout(v(2)), 1_000);
        for (int voter : new int[] {1, 3}) {
            victim.handle(new Input.TimeoutVoteReceived(voter, h.timeoutVote(voter, 2, h.genesisQc)), 1_001);
        }
        assertEquals(v(3), victim.currentView(), "0's own timeout vote plus 1 and 3 form TC(2)");
        // The Byzantine leader's TC of 1, 2 and 3 reaches the others first; the view-3 leader extends genesis.
        List<Effect> out = deliver(victim, h.proposal(c, h.genesisQc, Optional.of(tc2)), 1_002);
        // Replica 0 leads view 4, so its vote is counted locally rather than sent.
        assertEquals(v(3), victim.safetyState().highestVotedView(), "the TC proves no signer knew the hidden QC(A)");
        assertTrue(effects(out, Effect.LogVerdict.class).stream()
                .anyMatch(l -> l.input().equals("vote") && l.verdict() instanceof Verdict.Accept));
        assertFalse(VotingRules.safetyCheck(h.genesisQc, qcA, new LeafStore(h.genesis, 1)));
        assertFalse(VotingRules.livenessCheck(h.genesisQc, qcA));
    }

    private static List<Effect> deliver(ConsensusCore core, Proposal p, long nowMs) {
        core.handle(new Input.ProposalReceived(p.proposer(), p), nowMs);
        return core.handle(new Input.DataAvailable(p.leaf().view(), p.leaf().blockCommitment()), nowMs);
    }
}
