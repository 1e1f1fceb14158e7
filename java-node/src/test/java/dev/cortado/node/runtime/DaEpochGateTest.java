package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The DA committee follows the epoch of each block (issue 14), with real BLS: five peers, 0, 1, 2 and 4 configured
 * with {@code da}; epoch 0 stakes 0..3 (committee 0, 1, 2), epoch 1 and later give index 0 no stake and index 4 one
 * unit (committee 1, 2, 4). Epochs of six blocks; epoch 2's table is unknown until the test reveals it.
 */
class DaEpochGateTest {
    private static final long CHAIN = 4242;
    private static final int N = 5;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final long[] GENESIS = {1, 1, 1, 1, 0};
    private static final long[] LATER = {0, 1, 1, 1, 1};
    private static final int EXITER = 0;
    private static final int JOINER = 4;

    private boolean epoch2Known;
    private final Epochs epochs = Epochs.of(SCHEDULE, e -> e >= 2 && !epoch2Known ? Optional.empty()
            : Optional.of(new EpochTable(StakeWeights.ofEpoch(LATER), Keccak.hash(new byte[] {(byte) e}))));
    private final DaCommittees committees = new DaCommittees(epochs, keys(), daConfigured(),
            StakeWeights.ofEpoch(GENESIS));
    /** The leader's blocks: it knows every epoch's table, so each block is encoded for its epoch's share holders. */
    private final Blocks blocks = new Blocks(CHAIN, new VidSlots(Epochs.of(SCHEDULE, e -> Optional.of(new EpochTable(
            StakeWeights.ofEpoch(LATER), Keccak.hash(new byte[] {(byte) e})))), StakeWeights.ofEpoch(GENESIS)), 0,
            dev.cortado.protocol.block.KnownTxHashes.NONE);

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
}
