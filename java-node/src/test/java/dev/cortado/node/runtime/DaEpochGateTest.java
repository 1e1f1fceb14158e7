package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.da.DaCertificateCollector;
import dev.cortado.node.da.DaCommittee;
import dev.cortado.node.da.DaCommitteeMember;
import dev.cortado.node.da.DaReview;
import dev.cortado.node.da.DaVote;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The DA committee follows the epoch of each block (issue 14), with real BLS: five peers, 0, 1, 2 and 4 configured
 * with {@code da}; epoch 0 stakes 0..3 (committee 0, 1, 2), epoch 1 and later give index 0 no stake and index 4 one
 * unit, and mark 1, 2 and 4 as DA (committee 1, 2, 4). From epoch 3 the table (as StakeTable.sol's {@code isDa} would)
 * marks 1, 3 and 4 as DA: index 2 keeps its stake and its configured {@code da} but is off the committee, and index
 * 3, marked DA but not configured {@code da}, is left out with a warning (committee 1, 4). Epochs of six blocks;
 * the tables from epoch 2 on are unknown until the test reveals them.
 */
class DaEpochGateTest {
    private static final long CHAIN = 4242;
    private static final int N = 5;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final long[] GENESIS = {1, 1, 1, 1, 0};
    private static final long[] LATER = {0, 1, 1, 1, 1};
    private static final int EXITER = 0;
    private static final int JOINER = 4;

    /** Staked, configured {@code da}, but marked not-DA by the tables from epoch 3. */
    private static final int NOT_DA = 2;
    /** Staked, marked DA by the tables from epoch 3, but not configured {@code da}. */
    private static final int UNCONFIGURED = 3;

    private boolean epoch2Known;
    private final Epochs epochs = Epochs.of(SCHEDULE, e -> e >= 2 && !epoch2Known ? Optional.empty()
            : Optional.of(new EpochTable(StakeWeights.ofEpoch(LATER), e >= 3 ? bits(1, UNCONFIGURED, JOINER)
                    : bits(1, NOT_DA, JOINER), Keccak.hash(new byte[] {(byte) e}))));
    private final List<String> warnings = new ArrayList<>();
    private final DaCommittees committees = new DaCommittees(epochs, keys(), daConfigured(),
            new EpochTable(StakeWeights.ofEpoch(GENESIS), bits(0, 1, 2), Keccak.hash(new byte[] {0})), warnings::add);
    /** The leader's blocks: it knows every epoch's table, so each block is encoded for its epoch's share holders. */
    private final Blocks blocks = new Blocks(CHAIN, new VidSlots(Epochs.of(SCHEDULE, e -> Optional.of(EpochTable.everyMemberDa(
            StakeWeights.ofEpoch(LATER), Keccak.hash(new byte[] {(byte) e})))), StakeWeights.ofEpoch(GENESIS)), 0,
            dev.cortado.protocol.block.KnownTxHashes.NONE);

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        IntStream.of(indices).forEach(b::set);
        return b;
    }

    private static List<BlsPublicKey> keys() {
        return IntStream.range(0, N).mapToObj(i -> TestKeys.keyPair(i).publicKey()).toList();
    }

    private static BitSet daConfigured() {
        BitSet da = new BitSet();
        da.set(0, 3);
        da.set(JOINER);
        return da;
    }

    private final RecordingDaPort port = new RecordingDaPort();
    private final Misbehaviour misbehaviour = new Misbehaviour(new SimpleMeterRegistry());

    private DaGate gate(int me) {
        return new DaGate(CHAIN, me, committees, new VidSlots(epochs, StakeWeights.ofEpoch(GENESIS)), TestKeys.keyPair(me),
                port, new SimpleMeterRegistry(), misbehaviour);
    }

    private Blocks.Block block(long height, long view) {
        return blocks.build(height, view, Bytes32.ZERO, 1_000 + view, Bytes32.ZERO,
                List.of(PendingTx.of(1, ("h" + height).getBytes())));
    }

    private static Proposal proposal(Blocks.Block b, int proposer) {
        Leaf leaf = new Leaf(CHAIN, b.header().view(), b.header().height(), Leaf.genesis(CHAIN).commitment(),
                b.commitment(), View.ZERO);
        return new Proposal(leaf, QuorumCertificate.genesis(CHAIN), Optional.empty(), proposer,
                BlsConsensusCrypto.signer(proposer, TestKeys.keyPair(proposer).secretKey()).sign(leaf.commitment()));
    }

    private static DaVote vote(Blocks.Block b, int signer) {
        DaReview r = new DaCommitteeMember(CHAIN, signer, TestKeys.keyPair(signer), b.dispersal().commitment().shareCount())
                .review(b.header(), b.data().nsTable(), b.data().payload());
        return ((DaReview.Approved) r).vote();
    }

    /** A certificate aggregated from {@code signers}' own DA votes, whoever they are, bitmap over the universe. */
    private static NodeMessage.DaCertMsg signedBy(Blocks.Block b, int... signers) {
        SignerBitmap bits = SignerBitmap.of(N, signers);
        List<BlsSignature> sigs = IntStream.of(signers).mapToObj(i -> vote(b, i).signature())
                .toList();
        return new NodeMessage.DaCertMsg(b.commitment(), bits.toBytes(), Bls.aggregate(sigs).toBytes());
    }

    @Test
    void aCertificateOfTheExitedMemberIsRefusedInItsExitEpochBeforeAnyPairing() {
        Blocks.Block genesisEpoch = block(3, 10);
        Blocks.Block exitEpoch = block(SCHEDULE.firstHeight(1), 11);
        DaCommittee c1 = committees.forHeight(exitEpoch.header().height()).orElseThrow();
        AggregateCertificate byGenesisCommittee = new AggregateCertificate(ThresholdKind.DA_COMMITTEE,
                DaCertificateCollector.digest(CHAIN, exitEpoch.header()), SignerBitmap.of(N, 0, 1, 2),
                Bls.aggregate(List.of(vote(exitEpoch, 0).signature(), vote(exitEpoch, 1).signature(),
                        vote(exitEpoch, 2).signature())));
        Verdict v = DaCertificateCollector.verify(CHAIN, c1, exitEpoch.header(), byGenesisCommittee);
        assertEquals(Verdict.Reason.SIGNER_NOT_ELIGIBLE, v.reason());
        // The committee check names the signer; it runs before the stake sum and the pairing.
        assertEquals("signer 0 is not on the DA committee of epoch 1", v.detail());

        DaGate g = gate(1);
        g.viewIs(10);
        g.blockChecked(proposal(genesisEpoch, 3), genesisEpoch);
        g.blockChecked(proposal(exitEpoch, 3), exitEpoch);
        g.onDaCert(3, signedBy(genesisEpoch, 0, 1, 2));
        assertEquals(List.of(genesisEpoch.commitment()), port.available, "epoch 0's committee certifies epoch 0's block");
        g.onDaCert(3, signedBy(exitEpoch, 0, 1, 2));
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_DA_CERT), "the exiter's certificate is refused");
        assertEquals(1, port.available.size());
        g.onDaCert(2, signedBy(exitEpoch, 1, 2, JOINER));
        assertEquals(List.of(genesisEpoch.commitment(), exitEpoch.commitment()), port.available,
                "epoch 1's committee, with the joiner, certifies epoch 1's block");
        assertEquals(List.of(SignerBitmap.of(N, 0, 1, 2), SignerBitmap.of(N, 1, 2, JOINER)),
                g.recentCertificates().snapshot().stream().map(RecentDaCerts.Signed::signers).toList());
    }

    @Test
    void theJoinersVoteCountsFromItsFirstEpochAndTheExitersNoLonger() {
        int leader = 1;
        DaGate g = gate(leader);
        g.viewIs(20);
        Blocks.Block early = block(4, 20);
        g.disperse(proposal(early, leader), early);
        g.onDaVote(JOINER, new NodeMessage.DaVoteMsg(vote(early, JOINER).encode()));
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_DA_VOTE), "no stake in epoch 0: not counted");
        g.onDaVote(2, new NodeMessage.DaVoteMsg(vote(early, 2).encode()));
        assertTrue(port.certs.isEmpty(), "1 and 2 of committee 0, 1, 2 are not more than 2/3");
        g.onDaVote(EXITER, new NodeMessage.DaVoteMsg(vote(early, EXITER).encode()));
        assertEquals(1, port.certs.size());
        assertEquals(SignerBitmap.of(N, 0, 1, 2), SignerBitmap.fromBytes(port.certs.getFirst().signers(), N));

        Blocks.Block later = block(SCHEDULE.firstHeight(1) + 2, 21);
        g.disperse(proposal(later, leader), later);
        g.onDaVote(EXITER, new NodeMessage.DaVoteMsg(vote(later, EXITER).encode()));
        assertEquals(2, misbehaviour.total(Misbehaviour.Kind.BAD_DA_VOTE), "the exiter's vote no longer counts");
        g.onDaVote(2, new NodeMessage.DaVoteMsg(vote(later, 2).encode()));
        assertEquals(1, port.certs.size());
        g.onDaVote(JOINER, new NodeMessage.DaVoteMsg(vote(later, JOINER).encode()));
        assertEquals(2, port.certs.size(), "the joiner's vote completes epoch 1's committee");
        assertEquals(SignerBitmap.of(N, 1, 2, JOINER), SignerBitmap.fromBytes(port.certs.get(1).signers(), N));
        assertEquals(List.of(early.commitment(), later.commitment()), port.available);
    }

    @Test
    void onlyAMemberOfTheBlocksEpochVotes() {
        DaGate joiner = gate(JOINER);
        DaGate exiter = gate(EXITER);
        joiner.viewIs(30);
        exiter.viewIs(30);
        Blocks.Block early = block(2, 30);
        Blocks.Block later = block(SCHEDULE.firstHeight(1), 31);
        joiner.blockChecked(proposal(early, 3), early);
        assertEquals(List.of(), port.votesTo, "the joiner has no stake in epoch 0");
        joiner.blockChecked(proposal(later, 3), later);
        assertEquals(List.of(3), port.votesTo, "the joiner votes in its first epoch");
        exiter.blockChecked(proposal(early, 3), early);
        exiter.blockChecked(proposal(later, 3), later);
        assertEquals(List.of(3, 3), port.votesTo, "the exiter votes in epoch 0 only");
    }

    @Test
    void aCertificateForAnEpochWhoseTableIsUnknownWaitsUnverified() {
        // A configured da peer given the full block tracks it; it cannot vote while the epoch's committee is unknown.
        DaGate g = gate(JOINER);
        g.viewIs(40);
        Blocks.Block b = block(SCHEDULE.firstHeight(2) + 1, 40);
        g.blockChecked(proposal(b, 1), b);
        assertEquals(List.of(), port.votesTo);
        g.onDaCert(1, signedBy(b, 1, 2, JOINER));
        assertEquals(0, g.certVerifications(), "no committee to check against: nothing verified, nothing guessed");
        assertEquals(List.of(), port.available);
        g.viewIs(41);
        assertEquals(0, g.certVerifications(), "still unknown");
        epoch2Known = true;
        g.viewIs(42);
        assertEquals(1, g.certVerifications());
        assertEquals(List.of(b.commitment()), port.available, "verified once the table is known");
        assertEquals(1, g.trackedCount());
    }

    @Test
    void aStakedValidatorTheTableMarksNotDaIsRefusedBeforeItsSignatureIsChecked() {
        epoch2Known = true;
        Blocks.Block b = block(SCHEDULE.firstHeight(3) + 1, 50);
        DaCommittee c3 = committees.forHeight(b.header().height()).orElseThrow();
        assertArrayEquals(new int[] {1, JOINER}, c3.members(), "2 is not DA in epoch 3's table, 3 is not configured da");
        assertTrue(committees.forEpoch(2).orElseThrow().isMember(NOT_DA), "the same stake and config, one epoch earlier");

        // Refused on its role: a vote carrying another member's signature never reaches the accumulator's pairing.
        DaVote genuine = vote(b, NOT_DA);
        DaVote forged = new DaVote(genuine.view(), genuine.headerCommitment(), genuine.payloadRoot(), genuine.vidRoot(),
                NOT_DA, vote(b, 1).signature());
        DaCertificateCollector collector = new DaCertificateCollector(CHAIN, c3, b.header());
        assertInstanceOf(DaCertificateCollector.Result.NotMember.class, collector.add(forged));
        assertInstanceOf(DaCertificateCollector.Result.NotMember.class, collector.add(genuine));
        assertEquals(0, collector.signedStakeGwei());

        int leader = 1;
        DaGate g = gate(leader);
        g.viewIs(50);
        g.disperse(proposal(b, leader), b);
        g.onDaVote(NOT_DA, new NodeMessage.DaVoteMsg(forged.encode()));
        g.onDaVote(NOT_DA, new NodeMessage.DaVoteMsg(genuine.encode()));
        assertEquals(2, misbehaviour.total(Misbehaviour.Kind.BAD_DA_VOTE), "both refused as a non-member's");
        assertTrue(port.certs.isEmpty(), "the leader's own vote alone is half of committee 1, 4");
        g.onDaVote(JOINER, new NodeMessage.DaVoteMsg(vote(b, JOINER).encode()));
        assertEquals(List.of(SignerBitmap.of(N, 1, JOINER)),
                port.certs.stream().map(c -> SignerBitmap.fromBytes(c.signers(), N)).toList());

        DaGate notDa = gate(NOT_DA);
        notDa.viewIs(50);
        Blocks.Block earlier = block(SCHEDULE.firstHeight(2) + 1, 49);
        notDa.blockChecked(proposal(earlier, leader), earlier);
        assertEquals(List.of(leader), port.votesTo, "index 2 votes in epoch 2, whose table marks it DA");
        notDa.blockChecked(proposal(b, leader), b);
        assertEquals(List.of(leader), port.votesTo, "and signs nothing in epoch 3");
    }

    @Test
    void aCertificateSignedByAValidatorTheTableMarksNotDaDoesNotCount() {
        epoch2Known = true;
        Blocks.Block b = block(SCHEDULE.firstHeight(3), 60);
        DaCommittee c3 = committees.forHeight(b.header().height()).orElseThrow();
        AggregateCertificate withNotDa = new AggregateCertificate(ThresholdKind.DA_COMMITTEE,
                DaCertificateCollector.digest(CHAIN, b.header()), SignerBitmap.of(N, 1, NOT_DA, JOINER),
                Bls.aggregate(List.of(vote(b, 1).signature(), vote(b, NOT_DA).signature(), vote(b, JOINER).signature())));
        Verdict v = DaCertificateCollector.verify(CHAIN, c3, b.header(), withNotDa);
        assertEquals(Verdict.Reason.SIGNER_NOT_ELIGIBLE, v.reason());
        assertEquals("signer 2 is not on the DA committee of epoch 3", v.detail());

        DaGate g = gate(0);
        g.viewIs(60);
        g.blockChecked(proposal(b, 1), b);
        g.onDaCert(1, signedBy(b, 1, NOT_DA, JOINER));
        g.onDaCert(3, signedBy(b, 1, UNCONFIGURED, JOINER));
        assertEquals(2, misbehaviour.total(Misbehaviour.Kind.BAD_DA_CERT), "a not-DA signer, an unconfigured one");
        assertEquals(List.of(), port.available);
        g.onDaCert(2, signedBy(b, 1, JOINER));
        assertEquals(List.of(b.commitment()), port.available, "the committee of epoch 3 is 1 and 4");
    }

    @Test
    void aTableDaMemberNotConfiguredDaIsLeftOutWithOneWarningPerEpoch() {
        epoch2Known = true;
        for (long e = 0; e <= 2; e++) committees.forEpoch(e);
        assertEquals(List.of(), warnings, "epochs 0..2 mark only configured da peers");
        for (int i = 0; i < 3; i++) assertFalse(committees.forEpoch(3).orElseThrow().isMember(UNCONFIGURED));
        String epoch3 = "the stake table of epoch 3 marks index 3 (key " + keys().get(UNCONFIGURED).toHex() + ") as DA"
                + " but its [[peers]] entry has no da = true: it is sent no full blocks and cannot vote, so it is left out"
                + " of the DA committee of epoch 3 (configure da = true for it on every node to match its StakeTable.sol"
                + " registration)";
        assertEquals(List.of(epoch3), warnings);
        // Later epochs push epoch 3 out of the memoised ones; rebuilt, it is not reported again.
        for (long e = 4; e <= 4 + DaCommittees.RETAIN_EPOCHS; e++) committees.forEpoch(e);
        committees.forEpoch(3);
        assertEquals(2 + DaCommittees.RETAIN_EPOCHS, warnings.size(), "one per epoch, 3.." + (4 + DaCommittees.RETAIN_EPOCHS));
        assertEquals(epoch3, warnings.getFirst());
        assertEquals(epoch3.replace("epoch 3", "epoch 4"), warnings.get(1));
    }
}
