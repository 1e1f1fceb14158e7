package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Fault 2: forged proposals are dropped before block work, and block state is bounded by a view window. */
class ProposalScreenTest {
    private final RuntimeFixtures f = new RuntimeFixtures();
    private final ProposalScreen screen = new ProposalScreen(RuntimeFixtures.CHAIN_ID, f.stakes, f.crypto);

    private static Bytes32 block(long i) {
        return Bytes32.of(ByteBuffer.allocate(32).putLong(24, i).array());
    }

    private int notLeader(long view) {
        return (f.leader(view) + 1) % RuntimeFixtures.N;
    }

    @Test
    void proposalsFromNonLeadersAreDroppedWithoutASignatureCheck() {
        for (long v = 10; v < 2_010; v++) {
            int sender = notLeader(v);
            Leaf leaf = RuntimeFixtures.leaf(v, 1, block(v));
            // Signed by the sender itself: only the leader schedule can refuse it, and it must, for free.
            ProposalScreen.Outcome o = screen.screen(sender, f.proposal(leaf, sender), 10, 1);
            assertEquals(Misbehaviour.Kind.PROPOSAL_NOT_FROM_LEADER, assertInstanceOf(ProposalScreen.Outcome.Drop.class, o).kind());
        }
        assertEquals(0, screen.signatureChecks());
        assertEquals(0, screen.rememberedViews());
    }

    @Test
    void aForgedLeaderSignatureIsDroppedAfterOnePairingAndBooksNoView() {
        long v = 20;
        int leader = f.leader(v);
        Leaf leaf = RuntimeFixtures.leaf(v, 1, block(1));
        Proposal signedByOther = f.proposal(leaf, notLeader(v));
        Proposal forged = new Proposal(leaf, signedByOther.justifyQc(), signedByOther.viewChange(), leader, signedByOther.signature());
        for (int i = 0; i < 50; i++) {
            ProposalScreen.Outcome o = screen.screen(leader, forged, v, 1);
            assertEquals(Misbehaviour.Kind.PROPOSAL_BAD_SIGNATURE, assertInstanceOf(ProposalScreen.Outcome.Drop.class, o).kind());
        }
        assertEquals(50, screen.signatureChecks());
        // The forgeries did not use up the view: the leader's real proposal is still checked.
        assertInstanceOf(ProposalScreen.Outcome.CheckBlock.class, screen.screen(leader, f.proposal(leaf, leader), v, 1));
    }

    @Test
    void staleViewsCostNothingAndFarHeightsOrViewsAreNotBlockChecked() {
        long now = 100;
        long stale = now - ProposalScreen.PAST_VIEWS - 1;
        Leaf old = RuntimeFixtures.leaf(stale, 1, block(2));
        assertInstanceOf(ProposalScreen.Outcome.Drop.class, screen.screen(f.leader(stale), f.proposal(old, f.leader(stale)), now, 1));
        assertEquals(0, screen.signatureChecks());
        // A leader-signed proposal at height 2^40 reaches the core but never a block check or the pending set.
        Leaf huge = RuntimeFixtures.leaf(now, 1L << 40, block(3));
        assertInstanceOf(ProposalScreen.Outcome.CoreOnly.class, screen.screen(f.leader(now), f.proposal(huge, f.leader(now)), now, 1));
        long far = now + ProposalScreen.FUTURE_VIEWS + 1;
        Leaf ahead = RuntimeFixtures.leaf(far, 1, block(4));
        assertInstanceOf(ProposalScreen.Outcome.CoreOnly.class, screen.screen(f.leader(far), f.proposal(ahead, f.leader(far)), now, 1));
        assertEquals(0, screen.rememberedViews());
    }

    @Test
    void oneBlockPerViewAndTheViewMemoryIsBounded() {
        long v = 30;
        int leader = f.leader(v);
        assertInstanceOf(ProposalScreen.Outcome.CheckBlock.class,
                screen.screen(leader, f.proposal(RuntimeFixtures.leaf(v, 1, block(5)), leader), v, 1));
        ProposalScreen.Outcome second = screen.screen(leader, f.proposal(RuntimeFixtures.leaf(v, 1, block(6)), leader), v, 1);
        assertTrue(assertInstanceOf(ProposalScreen.Outcome.CoreOnly.class, second).secondBlock(), "equivocation flagged");
        ProposalScreen.Outcome repeat = screen.screen(leader, f.proposal(RuntimeFixtures.leaf(v, 1, block(5)), leader), v, 1);
        assertTrue(!assertInstanceOf(ProposalScreen.Outcome.CoreOnly.class, repeat).secondBlock(), "a replay is not equivocation");
        for (long view = 31; view < 531; view++) {
            int l = f.leader(view);
            assertInstanceOf(ProposalScreen.Outcome.CheckBlock.class,
                    screen.screen(l, f.proposal(RuntimeFixtures.leaf(view, 1, block(view)), l), view, 1));
        }
        assertTrue(screen.rememberedViews() <= ProposalScreen.PAST_VIEWS + 1, "remembered " + screen.rememberedViews());
    }

    @Test
    void aProposalIsMeasuredByTheTableOfItsOwnEpoch() {
        // Epoch 1 (heights 4..7) gives all its stake to indices 0 and 1: 2 and 3 lead nothing there.
        dev.cortado.node.consensus.EpochTable epoch1 = dev.cortado.node.consensus.EpochTable.everyMemberDa(
                dev.cortado.node.consensus.StakeWeights.ofEpoch(new long[] {1, 1, 0, 0}), block(99));
        dev.cortado.node.consensus.ConsensusConfig config = dev.cortado.node.consensus.ConsensusConfig
                .defaults(RuntimeFixtures.CHAIN_ID, f.stakes).withEpochs(dev.cortado.node.consensus.Epochs.of(
                        new dev.cortado.protocol.epoch.EpochSchedule(4, 1), e -> java.util.Optional.of(epoch1)));
        ProposalScreen epochs = new ProposalScreen(config, f.crypto);
        dev.cortado.node.consensus.LeaderSchedule leaders1 = new dev.cortado.node.consensus.LeaderSchedule(epoch1.weights());
        long v = java.util.stream.LongStream.range(40, 400).filter(x -> f.leader(x) >= 2).findFirst().orElseThrow();
        int leader1 = leaders1.leader(dev.cortado.protocol.types.View.of(v));
        Leaf leaf = RuntimeFixtures.leaf(v, 5, block(7));
        assertInstanceOf(ProposalScreen.Outcome.CheckBlock.class,
                epochs.screen(leader1, signed(leaf, leader1, 1), v, 5, 1), "the leader of epoch 1, signed for epoch 1");
        int genesisLeader = f.leader(v);
        ProposalScreen.Outcome outsider = epochs.screen(genesisLeader, signed(leaf, genesisLeader, 1), v, 5, 1);
        assertEquals(Misbehaviour.Kind.PROPOSAL_NOT_FROM_LEADER, assertInstanceOf(ProposalScreen.Outcome.Drop.class, outsider).kind(),
                "index " + genesisLeader + " leads " + v + " only in the genesis table");
        Proposal epoch0Signature = signed(RuntimeFixtures.leaf(v + 1, 5, block(8)), leaders1.leader(dev.cortado.protocol.types.View.of(v + 1)), 0);
        Proposal claimsEpoch1 = new Proposal(epoch0Signature.leaf(), epoch0Signature.justifyQc(), epoch0Signature.viewChange(),
                epoch0Signature.proposer(), epoch0Signature.signature(), 1);
        assertEquals(Misbehaviour.Kind.PROPOSAL_BAD_SIGNATURE, assertInstanceOf(ProposalScreen.Outcome.Drop.class,
                epochs.screen(claimsEpoch1.proposer(), claimsEpoch1, v, 5, 1)).kind(), "the signature binds the epoch");
        long checks = epochs.signatureChecks();
        assertInstanceOf(ProposalScreen.Outcome.OtherEpoch.class, epochs.screen(leader1, signed(leaf, leader1, 5), v, 5, 1));
        assertEquals(checks, epochs.signatureChecks(), "a far epoch costs no pairing");
    }

    /** {@code leaf}'s proposal by {@code signer}, signed as a quorum vote of {@code epoch}. */
    private Proposal signed(Leaf leaf, int signer, long epoch) {
        dev.cortado.node.consensus.Signature sig = dev.cortado.node.consensus.BlsConsensusCrypto.signer(signer,
                dev.cortado.node.testing.TestKeys.keyPair(signer).secretKey()).sign(
                f.certificates.quorumDigest(epoch, leaf.view(), leaf.commitment()));
        return new Proposal(leaf, dev.cortado.node.consensus.QuorumCertificate.genesis(RuntimeFixtures.CHAIN_ID),
                java.util.Optional.empty(), signer, sig, epoch);
    }

    @Test
    void pendingBlocksAreBoundedByTheViewWindowAndLeaveOnDecide() {
        PendingBlocks pending = new PendingBlocks();
        int max = 0;
        for (long view = 1; view <= PendingBlocks.RETAIN_VIEWS * 2 + 50; view++) {
            pending.viewIs(view);
            pending.put(new KnownBlock.Full(f.block(view, 0), 0));
            max = Math.max(max, pending.size());
        }
        assertEquals(PendingBlocks.RETAIN_VIEWS + 1, max, "at most one block per retained view");
        pending.decided(1);
        assertEquals(0, pending.size(), "every block was at height 1");
    }
}
