package dev.cortado.node.consensus;

import static dev.cortado.node.consensus.CoreHarness.v;
import static dev.cortado.node.consensus.CoreHarness.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.types.Bytes32;
import java.util.BitSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 3: junk timeout votes, votes and carried certificates must cost bounded crypto. Each test counts
 * verification calls (each a pairing in BLS) while one Byzantine peer floods a replica.
 */
class JunkFloodTest {
    private static final int FLOOD = 2_000;
    private final CoreHarness h = new CoreHarness(4);
    private final CountingCrypto crypto = new CountingCrypto(h.crypto);
    private final ConsensusCore replica = new ConsensusCore(h.config, h.signers[0], crypto,
            SafetyState.initial(CoreHarness.CHAIN), h.genesis);

    JunkFloodTest() {
        replica.handle(new Input.Start(), 0);
    }

    /** A QC for view {@code view} with a quorum of signers and a made-up aggregate: cheap to make, invalid. */
    private static QuorumCertificate junkQc(long view, int salt) {
        BitSet signers = new BitSet();
        signers.set(0, 3);
        byte[] junk = new byte[32];
        junk[0] = (byte) salt;
        junk[1] = (byte) (salt >> 8);
        return new QuorumCertificate(v(view), Bytes32.of(junk), new AggregateSignature(signers, junk));
    }

    private TimeoutVote timeoutVoteCarrying(int voter, long view, QuorumCertificate highQc) {
        return new TimeoutVote(v(view), highQc, Optional.empty(), voter, h.timeoutVote(voter, view, h.genesisQc)
                .signature());
    }

    @Test
    void freshJunkCertificatesCostOneCheckThenTheSenderIsRationed() {
        for (int i = 0; i < FLOOD; i++) {
            replica.handle(new Input.TimeoutVoteReceived(3, timeoutVoteCarrying(3, 5, junkQc(4, i))), 10 + i);
        }
        // First junk QC: one aggregate check, then a strike. Later ones: one message per local view.
        assertEquals(1, crypto.pairingCalls(), "one view, one ration");
        assertTrue(replica.misbehaviour().get(Misbehaviour.Kind.OVER_BUDGET) >= FLOOD - 2);
        assertEquals(1, replica.misbehaviour().get(Misbehaviour.Kind.INVALID_CERTIFICATE));
    }

    @Test
    void replayedJunkCertificateIsAnsweredFromTheNegativeCache() {
        QuorumCertificate junk = junkQc(4, 1);
        // Three senders, none struck yet, replay the same junk certificate: only the first costs a check.
        for (int sender = 1; sender <= 3; sender++) {
            Verdict verdict = verdict(replica.handle(new Input.TimeoutVoteReceived(sender,
                    timeoutVoteCarrying(sender, 5, junk)), 10 + sender));
            assertInstanceOf(Verdict.Reject.class, verdict);
        }
        assertEquals(1, crypto.pairingCalls());
        for (int i = 0; i < FLOOD; i++) {
            int sender = 1 + i % 3;
            replica.handle(new Input.TimeoutVoteReceived(sender, timeoutVoteCarrying(sender, 5, junk)), 20 + i);
        }
        assertEquals(1, crypto.pairingCalls());
        assertEquals(3, replica.misbehaviour().get(Misbehaviour.Kind.INVALID_CERTIFICATE));
    }

    @Test
    void outOfWindowStaleAndDuplicateTimeoutVotesCostNothing() {
        for (int i = 0; i < FLOOD; i++) {
            // Far ahead of the window, with a junk QC that would cost a pairing if checked.
            replica.handle(new Input.TimeoutVoteReceived(2, timeoutVoteCarrying(2, 5_000 + i, junkQc(4_000, i))), 1);
        }
        assertEquals(0, crypto.pairingCalls(), "future beyond the window");
        replica.handle(new Input.Timeout(v(1)), 1_000);
        replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 1, h.genesisQc)), 1_001);
        replica.handle(new Input.TimeoutVoteReceived(2, h.timeoutVote(2, 1, h.genesisQc)), 1_002);
        assertEquals(v(2), replica.currentView());
        long afterTc = crypto.pairingCalls();
        for (int i = 0; i < FLOOD; i++) {
            replica.handle(new Input.TimeoutVoteReceived(3, h.timeoutVote(3, 1, h.genesisQc)), 1_003);
        }
        assertEquals(afterTc, crypto.pairingCalls(), "past view carrying nothing new");
        replica.handle(new Input.Timeout(v(2)), 5_000);
        replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 2, h.genesisQc)), 5_001);
        long afterOne = crypto.pairingCalls();
        for (int i = 0; i < FLOOD; i++) {
            replica.handle(new Input.TimeoutVoteReceived(1, h.timeoutVote(1, 2, h.genesisQc)), 5_002);
        }
        assertEquals(afterOne, crypto.pairingCalls(), "duplicates of a counted timeout vote");
        assertTrue(replica.misbehaviour().get(Misbehaviour.Kind.DUPLICATE) >= FLOOD);
        assertEquals(FLOOD, replica.misbehaviour().get(Misbehaviour.Kind.OUT_OF_WINDOW));
    }

    @Test
    void forgedVoteSignaturesAreRationedPerView() {
        ConsensusCore nextLeader = new ConsensusCore(h.config, h.signers[2], crypto,
                SafetyState.initial(CoreHarness.CHAIN), h.genesis);
        nextLeader.handle(new Input.Start(), 0);
        Leaf a = h.leaf(1, h.genesis, h.genesisQc, "a");
        for (int i = 0; i < FLOOD; i++) {
            QuorumVote forged = new QuorumVote(v(1), a.commitment(), 3, h.vote(0, 1, a.commitment()).signature());
            nextLeader.handle(new Input.VoteReceived(3, forged), 1);
        }
        assertEquals(1, crypto.pairingCalls());
        // The rationed peer still gets one message checked per view: an honest vote of it would count.
        Verdict own = verdict(nextLeader.handle(new Input.VoteReceived(1, h.vote(1, 1, a.commitment())), 2));
        assertInstanceOf(Verdict.Accept.class, own);
        assertEquals(1, nextLeader.misbehaviour().get(Misbehaviour.Kind.INVALID_SIGNATURE));
    }
}
