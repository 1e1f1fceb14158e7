package dev.cortado.protocol.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CertificateTest {
    static final List<BlsKeyPair> KEYS = StakeFixtures.keys(10);
    static final StakeTable TABLE = StakeFixtures.table(KEYS);
    static final Bytes32 DIGEST = Keccak.hash(new byte[] {1, 2, 3});

    @Test
    void accumulatorFormsTheCertificateExactlyWhenStakeCrossesTwoThirds() {
        SignatureAccumulator acc = new SignatureAccumulator(TABLE, ThresholdKind.QUORUM, DIGEST);
        long signed = 0;
        for (int i = 0; i < 10; i++) {
            signed += TABLE.entry(i).stakeGwei();
            SignatureAccumulator.Outcome out = acc.add(KEYS.get(i).publicKey(), Bls.sign(KEYS.get(i).secretKey(), DIGEST));
            if (TABLE.isQuorum(signed)) {
                assertEquals(SignatureAccumulator.Status.CERTIFIED, out.status());
                AggregateCertificate cert = out.certificate().orElseThrow();
                assertEquals(i + 1, cert.signers().count());
                Verdict v = CertificateVerifier.verify(TABLE, ThresholdKind.QUORUM, DIGEST, cert);
                assertTrue(v.isValid(), v.detail());
                assertEquals(signed, v.signedStakeGwei());
                assertEquals(SignatureAccumulator.Status.ALREADY_CERTIFIED,
                        acc.add(KEYS.get(9).publicKey(), Bls.sign(KEYS.get(9).secretKey(), DIGEST)).status());
                return;
            }
            assertEquals(SignatureAccumulator.Status.ACCEPTED, out.status());
            assertTrue(out.certificate().isEmpty());
        }
        throw new AssertionError("no certificate formed");
    }

    @Test
    void accumulatorRejectsBadVotes() {
        SignatureAccumulator acc = new SignatureAccumulator(TABLE, ThresholdKind.QUORUM, DIGEST);
        BlsKeyPair outsider = StakeFixtures.key(50);
        assertEquals(SignatureAccumulator.Status.NOT_A_MEMBER,
                acc.add(outsider.publicKey(), Bls.sign(outsider.secretKey(), DIGEST)).status());
        assertEquals(SignatureAccumulator.Status.NOT_A_MEMBER, acc.add(10, Bls.sign(outsider.secretKey(), DIGEST)).status());
        assertEquals(SignatureAccumulator.Status.INVALID_SIGNATURE,
                acc.add(0, Bls.sign(KEYS.get(0).secretKey(), Keccak.hash(new byte[] {9}))).status());
        assertEquals(SignatureAccumulator.Status.INVALID_SIGNATURE,
                acc.add(0, Bls.sign(KEYS.get(1).secretKey(), DIGEST)).status());
        assertEquals(SignatureAccumulator.Status.ACCEPTED, acc.add(0, Bls.sign(KEYS.get(0).secretKey(), DIGEST)).status());
        assertEquals(SignatureAccumulator.Status.DUPLICATE, acc.add(0, Bls.sign(KEYS.get(0).secretKey(), DIGEST)).status());
        assertEquals(StakeFixtures.stakeGwei(0), acc.signedStakeGwei());

        SignatureAccumulator da = new SignatureAccumulator(TABLE, ThresholdKind.DA_COMMITTEE, DIGEST);
        assertEquals(SignatureAccumulator.Status.NOT_ELIGIBLE, da.add(1, Bls.sign(KEYS.get(1).secretKey(), DIGEST)).status());
    }

    @Test
    void daCertificateCountsOnlyTheCommittee() {
        SignatureAccumulator da = new SignatureAccumulator(TABLE, ThresholdKind.DA_COMMITTEE, DIGEST);
        AggregateCertificate cert = null;
        for (int i = 0; i < 10 && cert == null; i += 2) {
            cert = da.add(i, Bls.sign(KEYS.get(i).secretKey(), DIGEST)).certificate().orElse(null);
        }
        assertTrue(cert != null);
        Verdict v = CertificateVerifier.verify(TABLE, ThresholdKind.DA_COMMITTEE, DIGEST, cert);
        assertTrue(v.isValid(), v.detail());
        assertEquals(TABLE.committeeStakeGwei(), v.thresholdTotalGwei());
        assertFalse(TABLE.isQuorum(v.signedStakeGwei()), "committee stake alone is not a quorum in this table");
        assertEquals(Verdict.Reason.WRONG_KIND, CertificateVerifier.verify(TABLE, ThresholdKind.QUORUM, DIGEST, cert).reason());
        AggregateCertificate asQuorum = new AggregateCertificate(ThresholdKind.QUORUM, DIGEST, cert.signers(), cert.signature());
        assertEquals(Verdict.Reason.INSUFFICIENT_STAKE, CertificateVerifier.verify(TABLE, asQuorum).reason());

        SignerBitmap withOutsider = SignerBitmap.of(10, 0, 1, 2, 4, 6, 8);
        AggregateCertificate bad = CertFixtures.sign(KEYS, ThresholdKind.DA_COMMITTEE, DIGEST, withOutsider);
        assertEquals(Verdict.Reason.SIGNER_NOT_ELIGIBLE, CertificateVerifier.verify(TABLE, bad).reason());
    }

    @Test
    void verifierExplainsEveryFailure() {
        SignerBitmap nine = SignerBitmap.full(10).without(3);
        AggregateCertificate cert = CertFixtures.sign(KEYS, ThresholdKind.QUORUM, DIGEST, nine);
        assertTrue(CertificateVerifier.verify(TABLE, cert).isValid());

        AggregateCertificate flipped = new AggregateCertificate(ThresholdKind.QUORUM, DIGEST, nine.with(3), cert.signature());
        assertEquals(Verdict.Reason.BAD_SIGNATURE, CertificateVerifier.verify(TABLE, flipped).reason());
        AggregateCertificate dropped = new AggregateCertificate(ThresholdKind.QUORUM, DIGEST, nine.without(4), cert.signature());
        assertEquals(Verdict.Reason.BAD_SIGNATURE, CertificateVerifier.verify(TABLE, dropped).reason());
        assertEquals(Verdict.Reason.WRONG_DIGEST,
                CertificateVerifier.verify(TABLE, ThresholdKind.QUORUM, Bytes32.ZERO, cert).reason());
        AggregateCertificate small = CertFixtures.sign(KEYS, ThresholdKind.QUORUM, DIGEST, SignerBitmap.of(10, 0, 1, 2));
        Verdict v = CertificateVerifier.verify(TABLE, small);
        assertEquals(Verdict.Reason.INSUFFICIENT_STAKE, v.reason());
        AggregateCertificate wrongSize = new AggregateCertificate(ThresholdKind.QUORUM, DIGEST,
                SignerBitmap.full(11), cert.signature());
        assertEquals(Verdict.Reason.BITMAP_SIZE_MISMATCH, CertificateVerifier.verify(TABLE, wrongSize).reason());
    }

    @Test
    void signersKeyIsTheSameWhetherSummedOrSubtracted() {
        for (int[] idx : new int[][] {{0}, {1, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {0, 2, 3, 5, 6, 7, 8, 9}}) {
            SignerBitmap b = SignerBitmap.of(10, idx);
            BlsPublicKey expected = Bls.sumKeys(IntStream.of(idx).mapToObj(i -> KEYS.get(i).publicKey()).toList());
            assertEquals(expected, CertificateVerifier.signersKey(TABLE, ThresholdKind.QUORUM, b, 10));
        }
        SignerBitmap committee = SignerBitmap.of(10, 0, 2, 4, 8);
        assertEquals(Bls.sumKeys(List.of(KEYS.get(0).publicKey(), KEYS.get(2).publicKey(), KEYS.get(4).publicKey(),
                KEYS.get(8).publicKey())), CertificateVerifier.signersKey(TABLE, ThresholdKind.DA_COMMITTEE, committee, 5));
    }

    @Test
    void signerBitmapEncodingIsBoundedAndRoundTrips() {
        SignerBitmap b = SignerBitmap.of(10, 0, 3, 9);
        assertArrayEquals(new byte[] {0x09, 0x02}, b.toBytes());
        assertEquals(b, SignerBitmap.fromBytes(b.toBytes(), 10));
        assertArrayEquals(new byte[2], SignerBitmap.empty(10).toBytes());
        assertEquals(List.of(1, 2, 4, 5, 6, 7, 8), b.nonSigners().boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> SignerBitmap.fromBytes(new byte[] {0, 0x04}, 10));
        assertThrows(IllegalArgumentException.class, () -> SignerBitmap.fromBytes(new byte[3], 10));
        assertThrows(IndexOutOfBoundsException.class, () -> SignerBitmap.of(10, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(-1));
        assertThrows(IllegalArgumentException.class, () -> SignerBitmap.empty(0));
    }

    @Test
    void lightClientCertificateAndNonSignerData() {
        LightClientState state = new LightClientState(View.of(12), Height.of(7), Keccak.hash(new byte[] {7}),
                TABLE.commitment());
        long chainId = 31337;
        SignerBitmap signers = SignerBitmap.full(10).without(6);
        LightClientCertificate lc = new LightClientCertificate(state,
                CertFixtures.sign(KEYS, ThresholdKind.QUORUM, state.digest(chainId), signers));
        assertTrue(lc.verify(TABLE, chainId).isValid());
        assertEquals(Verdict.Reason.WRONG_DIGEST, lc.verify(TABLE, chainId + 1).reason());
        StakeTable other = StakeFixtures.table(StakeFixtures.keys(9));
        assertEquals(Verdict.Reason.WRONG_STAKE_TABLE, lc.verify(other, chainId).reason());

        // Replays what LightClient.sol does with the calldata.
        NonSignerData data = lc.nonSignerData(TABLE);
        assertEquals(TABLE.commitment(), Keccak.hash(Abi.encode(DomainTags.STAKE_TABLE, data.root(), data.count(),
                data.totalStakeGwei(), Keccak.hash(data.aggKeyEip2537()))));
        assertEquals(1, data.nonSigners().size());
        NonSignerData.NonSigner ns = data.nonSigners().getFirst();
        assertEquals(6, ns.index());
        Bytes32 leaf = Keccak.hash(Abi.encode(DomainTags.STAKE_LEAF, (long) ns.index(), Keccak.hash(ns.pkEip2537()),
                ns.stakeGwei(), ns.isDa()));
        assertTrue(new MerkleProof(ns.index(), (int) data.count(), ns.siblings()).verify(leaf, data.root()));
        BlsPublicKey signersKey = Bls.subtractKeys(BlsPublicKey.fromEip2537(data.aggKeyEip2537()),
                List.of(BlsPublicKey.fromEip2537(ns.pkEip2537())));
        assertTrue(Bls.fastAggregateVerify(signersKey, state.digest(chainId), lc.cert().signature()));
        assertTrue(StakeTable.exceedsTwoThirds(data.totalStakeGwei() - data.absentStakeGwei(), data.totalStakeGwei()));
    }
}
