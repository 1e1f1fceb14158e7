package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.da.DaCommitteeMember;
import dev.cortado.node.da.DaReview;
import dev.cortado.node.da.StoredShare;
import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidDispersal;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.block.KnownTxHashes;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * VID shares follow each block's epoch (issue 14), through {@link Blocks} and {@link DaGate} with real BLS and VID:
 * five peers, 0 and 1 configured with {@code da}; epoch 0 stakes 0..3, epoch 1 and later give index 2 no stake and
 * index 4 (a joiner) stake. So epoch 0's shares go to 0, 1, 2, 3 at positions 0..3 and epoch 1's to 0, 1, 3, 4 at
 * positions 0..3: index 3 moves from position 3 to 2, the joiner takes position 3, and the exiter holds none.
 */
class EpochSharesTest {
    private static final long CHAIN = 4242;
    private static final int N = 5;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final long[] GENESIS = {1, 1, 1, 1, 0};
    private static final long[] LATER = {1, 1, 0, 1, 1};
    private static final int EXITER = 2;
    private static final int JOINER = 4;
    private static final long EPOCH_0_HEIGHT = 2;
    private static final long EPOCH_1_HEIGHT = 7;

    private final Epochs epochs = Epochs.of(SCHEDULE, e -> Optional.of(EpochTable.everyMemberDa(StakeWeights.ofEpoch(LATER),
            Keccak.hash(new byte[] {(byte) e}))));
    private final DaCommittees committees = new DaCommittees(epochs, keys(), da(),
            EpochTable.everyMemberDa(StakeWeights.ofEpoch(GENESIS), Keccak.hash(new byte[] {0})));

    private static List<BlsPublicKey> keys() {
        return IntStream.range(0, N).mapToObj(i -> TestKeys.keyPair(i).publicKey()).toList();
    }

    private static BitSet da() {
        BitSet b = new BitSet();
        b.set(0, 2);
        return b;
    }

    private VidSlots slots() {
        return new VidSlots(epochs, StakeWeights.ofEpoch(GENESIS));
    }

    private Blocks blocksOf(int me) {
        return new Blocks(CHAIN, slots(), me, KnownTxHashes.NONE);
    }

    private DaGate gate(int me, RecordingDaPort port) {
        return new DaGate(CHAIN, me, committees, slots(), TestKeys.keyPair(me), port, new SimpleMeterRegistry(),
                new Misbehaviour(new SimpleMeterRegistry()));
    }

    private static Blocks.Block build(Blocks by, long height, long view) {
        return by.build(height, view, Bytes32.ZERO, 1_000 + view, Bytes32.ZERO,
                List.of(PendingTx.of(7, ("block-" + height + "-" + "y".repeat(300)).getBytes()), PendingTx.of(8, new byte[90])));
    }

    private static Proposal proposal(Blocks.Block b, int proposer) {
        Leaf leaf = new Leaf(CHAIN, b.header().view(), b.header().height(), Leaf.genesis(CHAIN).commitment(),
                b.commitment(), View.ZERO);
        return new Proposal(leaf, QuorumCertificate.genesis(CHAIN), Optional.empty(), proposer,
                BlsConsensusCrypto.signer(proposer, TestKeys.keyPair(proposer).secretKey()).sign(leaf.commitment()));
    }

    /** The share proposal {@code b}'s leader would send to a peer, with {@code share} in place of the right one. */
    private static NodeMessage.ShareProposalMsg shareProposal(Proposal p, Blocks.Block b, byte[] share) {
        return new NodeMessage.ShareProposalMsg(p, b.data().header(), b.data().nsTable(), share, b.txCounts(), b.txHashes(),
                b.bundleRecordBytes());
    }

    /** The DA certificate of {@code b} signed by both members of the committee (0 and 1) in either epoch. */
    private static NodeMessage.DaCertMsg certificate(Blocks.Block b) {
        List<dev.cortado.protocol.crypto.BlsSignature> sigs = IntStream.of(0, 1).mapToObj(i -> ((DaReview.Approved)
                new DaCommitteeMember(CHAIN, i, TestKeys.keyPair(i), b.dispersal().commitment().shareCount())
                        .review(b.header(), b.data().nsTable(), b.data().payload())).vote().signature()).toList();
        return new NodeMessage.DaCertMsg(b.commitment(), SignerBitmap.of(N, 0, 1).toBytes(), Bls.aggregate(sigs).toBytes());
    }

    private static int position(NodeMessage.ShareProposalMsg m) {
        return StoredShare.decode(m.share()).share().index();
    }

    private static int count(NodeMessage.ShareProposalMsg m) {
        return StoredShare.decode(m.share()).commitment().shareCount();
    }

    @Test
    void theLeaderSendsEachHolderItsPositionInTheBlocksEpochAndTheOthersNoShare() throws BlockRejected {
        Blocks leader = blocksOf(0);
        RecordingDaPort port = new RecordingDaPort();
        DaGate g = gate(0, port);
        g.viewIs(20);
        Blocks.Block early = build(leader, EPOCH_0_HEIGHT, 20);
        Blocks.Block later = build(leader, EPOCH_1_HEIGHT, 21);
        assertEquals(4, early.dispersal().commitment().shareCount());
        assertEquals(4, later.dispersal().commitment().shareCount());

        g.disperse(proposal(early, 0), early);
        assertEquals(List.of(2, 3, JOINER), List.copyOf(port.shareProposals.keySet()), "the peers without da");
        assertEquals(2, position(port.shareProposals.get(EXITER)));
        assertEquals(3, position(port.shareProposals.get(3)));
        assertEquals(4, count(port.shareProposals.get(3)));
        assertFalse(port.shareProposals.get(JOINER).hasShare(), "no stake in epoch 0: no share");
        checkedAtRecipients(early, port);

        port.shareProposals.clear();
        g.disperse(proposal(later, 0), later);
        assertFalse(port.shareProposals.get(EXITER).hasShare(), "no stake in epoch 1: no share");
        assertEquals(2, position(port.shareProposals.get(3)), "index 3 is the third holder of epoch 1");
        assertEquals(3, position(port.shareProposals.get(JOINER)), "the joiner is the fourth");
        assertEquals(4, count(port.shareProposals.get(JOINER)));
        checkedAtRecipients(later, port);
    }

    /** Each recipient accepts what it was sent: the block check, then its own share at its position. */
    private void checkedAtRecipients(Blocks.Block b, RecordingDaPort sent) throws BlockRejected {
        for (var e : sent.shareProposals.entrySet()) {
            int me = e.getKey();
            KnownBlock.HeaderOnly h = blocksOf(me).checkHeaderOnly(e.getValue(), e.getValue().proposal().leaf());
            assertEquals(e.getValue().hasShare(), h.ownShare().isPresent());
            DaGate recipient = gate(me, new RecordingDaPort());
            recipient.viewIs(b.header().view().value());
            assertEquals(Optional.empty(), recipient.shareChecked(e.getValue().proposal().leaf(), h.header(), h.ownShare()),
                    "node " + me + " at height " + b.header().height().value());
        }
    }

    @Test
    void aShareOfTheWrongCountOrPositionOrPresenceIsRefusedWithItsReason() {
        Blocks leader = blocksOf(0);
        Blocks.Block early = build(leader, EPOCH_0_HEIGHT, 20);
        Blocks.Block later = build(leader, EPOCH_1_HEIGHT, 21);
        Proposal pe = proposal(early, 0);
        Proposal pl = proposal(later, 0);

        BlockRejected joinerGivenShare = assertThrows(BlockRejected.class, () -> blocksOf(JOINER).checkHeaderOnly(
                shareProposal(pe, early, early.share(3).encode()), pe.leaf()));
        assertEquals("share proposal carries a share for node 4, which holds no share in epoch 0 (no stake in its table)",
                joinerGivenShare.getMessage());
        BlockRejected holderGivenNone = assertThrows(BlockRejected.class, () -> blocksOf(3).checkHeaderOnly(
                shareProposal(pe, early, NodeMessage.ShareProposalMsg.NO_SHARE), pe.leaf()));
        assertEquals("share proposal carries no share for node 3, which holds position 3 of 4 in epoch 0",
                holderGivenNone.getMessage());
        BlockRejected exiterGivenShare = assertThrows(BlockRejected.class, () -> blocksOf(EXITER).checkHeaderOnly(
                shareProposal(pl, later, later.share(1).encode()), pl.leaf()));
        assertEquals("share proposal carries a share for node 2, which holds no share in epoch 1 (no stake in its table)",
                exiterGivenShare.getMessage());

        DaGate joiner = gate(JOINER, new RecordingDaPort());
        joiner.viewIs(21);
        // Universe positions, as before epochs decided the holders: five shares, the joiner's at its index 4.
        VidDispersal overUniverse = new Vid(N).disperse(later.data().payload());
        StoredShare byIndex = new StoredShare(overUniverse.commitment(), overUniverse.share(JOINER));
        assertEquals(Optional.of("epoch 1: share is encoded for 5 shares, the block's epoch has 4"),
                joiner.shareChecked(pl.leaf(), later.header(), Optional.of(byIndex)));
        assertEquals(Optional.of("epoch 1: share is at position 2, its holder holds position 3 of 4"),
                joiner.shareChecked(pl.leaf(), later.header(), Optional.of(later.share(2))));
        assertEquals(Optional.of("share proposal carries no share for node 4, which holds position 3 of 4 in epoch 1"),
                joiner.shareChecked(pl.leaf(), later.header(), Optional.empty()));
        assertEquals(0, joiner.trackedCount(), "a refused share tracks nothing");
        assertEquals(Optional.empty(), joiner.shareChecked(pl.leaf(), later.header(), later.shareOf(JOINER)));
    }

    @Test
    void aBlockEncodedForAnotherCountThanItsEpochsIsRefused() throws BlockRejected {
        // A leader that still encodes over the universe: its header's vidRoot is of five shares.
        Blocks.Block overUniverse = build(new Blocks(CHAIN, N, 0), EPOCH_0_HEIGHT, 20);
        BlockRejected e = assertThrows(BlockRejected.class, () -> blocksOf(1).check(overUniverse.data(),
                proposal(overUniverse, 0).leaf()));
        assertTrue(e.getMessage().endsWith("(encoded for the 4 share holders of epoch 0)"), e.getMessage());

        Blocks.Block honest = build(blocksOf(0), EPOCH_1_HEIGHT, 21);
        Blocks.Block checked = blocksOf(1).check(honest.data(), proposal(honest, 0).leaf());
        assertEquals(4, checked.dispersal().commitment().shareCount());
        assertEquals(Optional.of(1), new KnownBlock.Full(checked, 1).ownShare().map(s -> s.share().index()));
        assertEquals(Optional.of(3), new KnownBlock.Full(checked, JOINER).ownShare().map(s -> s.share().index()));
        assertEquals(Optional.empty(), new KnownBlock.Full(checked, EXITER).ownShare(), "the exiter keeps no share");
    }

    @Test
    void aPeerWithoutAShareNeedsOnlyTheCertificateAndAHolderBoth() {
        Blocks.Block later = build(blocksOf(0), EPOCH_1_HEIGHT, 21);
        Proposal p = proposal(later, 0);
        NodeMessage.DaCertMsg cert = certificate(later);

        RecordingDaPort exiterPort = new RecordingDaPort();
        DaGate exiter = gate(EXITER, exiterPort);
        exiter.viewIs(21);
        assertEquals(Optional.empty(), exiter.shareChecked(p.leaf(), later.header(), Optional.empty()));
        assertEquals(List.of(), exiterPort.available, "the certificate is still required");
        exiter.onDaCert(0, cert);
        assertEquals(List.of(later.commitment()), exiterPort.available, "no share of its own to check: the certificate suffices");

        RecordingDaPort holderPort = new RecordingDaPort();
        DaGate holder = gate(3, holderPort);
        holder.viewIs(21);
        assertTrue(holder.shareChecked(p.leaf(), later.header(), Optional.of(later.share(3))).isPresent(),
                "the joiner's position is not index 3's");
        holder.onDaCert(0, cert);
        assertEquals(List.of(), holderPort.available, "a certificate without a valid own share signals nothing");
        assertEquals(Optional.empty(), holder.shareChecked(p.leaf(), later.header(), Optional.of(later.share(2))));
        assertEquals(List.of(later.commitment()), holderPort.available);
    }
}
