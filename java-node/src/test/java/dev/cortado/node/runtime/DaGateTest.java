package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.da.DaCertificateCollector;
import dev.cortado.node.da.DaCommitteeMember;
import dev.cortado.node.da.DaReview;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.types.Bytes32;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fault 1: junk DA certificates from one peer must neither evict real entries nor cost a verification each. */
class DaGateTest {
    private static final int ME = 1;
    private static final int BYZANTINE = 3;
    private final RuntimeFixtures f = new RuntimeFixtures();

    /** What the gate asked of its node. */
    private final RecordingDaPort port = new RecordingDaPort();
    private final Misbehaviour misbehaviour = new Misbehaviour(new SimpleMeterRegistry());
    private final DaGate gate = new DaGate(RuntimeFixtures.CHAIN_ID, ME, f.table, TestKeys.keyPair(ME), port,
            new SimpleMeterRegistry(), misbehaviour);

    /** A view led by a committee member other than this node. */
    private long viewLedByOther(long from) {
        long v = from;
        while (f.leader(v) == ME || f.leader(v) == BYZANTINE) {
            v++;
        }
        return v;
    }

    private NodeMessage.DaCertMsg realCert(Blocks.Block b) {
        DaCertificateCollector collector = new DaCertificateCollector(RuntimeFixtures.CHAIN_ID, f.table, b.header());
        for (int m = 0; m < 3; m++) {
            DaReview review = new DaCommitteeMember(RuntimeFixtures.CHAIN_ID, f.table, TestKeys.keyPair(m))
                    .review(b.header(), b.data().nsTable(), b.data().payload());
            collector.add(((DaReview.Approved) review).vote());
        }
        AggregateCertificate cert = collector.certificate().orElseThrow();
        return new NodeMessage.DaCertMsg(b.commitment(), cert.signers().toBytes(), cert.signature().toBytes());
    }

    private static Bytes32 junkCommitment(int i) {
        return Bytes32.of(ByteBuffer.allocate(32).putInt(28, i).array());
    }

    @Test
    void junkCertificatesForUnknownBlocksCreateNoStateAndCostNoVerification() {
        long view = viewLedByOther(5);
        gate.viewIs(view);
        Blocks.Block b = f.block(view, 5);
        Proposal p = f.proposal(b);
        gate.blockChecked(p, b);
        assertEquals(List.of(f.leader(view)), port.votesTo, "the member voted once, to the leader");
        // 100,000 tiny certificates for blocks nobody proposed (on main these evicted the real entry).
        byte[] signers = SignerBitmap.full(RuntimeFixtures.N).toBytes();
        byte[] signature = Bls.sign(TestKeys.keyPair(BYZANTINE).secretKey(), Bytes32.ZERO).toBytes();
        for (int i = 0; i < 100_000; i++) {
            gate.onDaCert(BYZANTINE, new NodeMessage.DaCertMsg(junkCommitment(i), signers, signature));
        }
        assertEquals(1, gate.trackedCount(), "junk created no entries");
        assertEquals(0, gate.certVerifications(), "junk for unknown blocks is never verified");
        assertEquals(100_000, misbehaviour.total(Misbehaviour.Kind.UNKNOWN_DA_CERT));
        // The real certificate still lands on the real entry.
        gate.onDaCert(f.leader(view), realCert(b));
        assertEquals(List.of(b.commitment()), port.available);
        assertEquals(1, gate.certVerifications());
    }

    @Test
    void aRefusedSenderIsNotVerifiedAgainForTheSameBlock() {
        long view = viewLedByOther(9);
        gate.viewIs(view);
        Blocks.Block b = f.block(view, 3);
        gate.blockChecked(f.proposal(b), b);
        byte[] signers = SignerBitmap.full(RuntimeFixtures.N).toBytes();
        byte[] forged = Bls.sign(TestKeys.keyPair(BYZANTINE).secretKey(), b.commitment()).toBytes();
        for (int i = 0; i < 1_000; i++) {
            gate.onDaCert(BYZANTINE, new NodeMessage.DaCertMsg(b.commitment(), signers, forged));
        }
        assertEquals(1, gate.certVerifications(), "negative cache: one pairing check for the forger");
        assertEquals(1, misbehaviour.total(Misbehaviour.Kind.BAD_DA_CERT));
        assertEquals(List.of(), port.available, "a forged certificate does not make the block available");
        gate.onDaCert(f.leader(view), realCert(b));
        assertEquals(List.of(b.commitment()), port.available);
    }

    @Test
    void aCertificateBeforeItsBlockWaitsInItsSendersSlotThroughAFlood() {
        long view = viewLedByOther(13);
        gate.viewIs(view);
        Blocks.Block b = f.block(view, 4);
        gate.onDaCert(f.leader(view), realCert(b));
        byte[] signers = SignerBitmap.full(RuntimeFixtures.N).toBytes();
        byte[] signature = Bls.sign(TestKeys.keyPair(BYZANTINE).secretKey(), Bytes32.ZERO).toBytes();
        for (int i = 0; i < 10_000; i++) {
            gate.onDaCert(BYZANTINE, new NodeMessage.DaCertMsg(junkCommitment(i), signers, signature));
        }
        assertEquals(0, gate.trackedCount());
        gate.blockChecked(f.proposal(b), b);
        assertEquals(List.of(b.commitment()), port.available, "the held certificate was used when the block came");
        assertEquals(1, gate.certVerifications());
    }

    @Test
    void entriesLeaveByViewAndAMemberVotesOncePerView() {
        long view = viewLedByOther(17);
        gate.viewIs(view);
        Blocks.Block b = f.block(view, 2);
        Blocks.Block other = f.block(view, 6);
        gate.blockChecked(f.proposal(b), b);
        gate.blockChecked(f.proposal(other), other);
        assertEquals(1, port.votesTo.size(), "one DA vote per view, even for two blocks of one leader");
        gate.viewIs(view + DaGate.RETAIN_VIEWS);
        assertEquals(2, gate.trackedCount());
        gate.viewIs(view + DaGate.RETAIN_VIEWS + 1);
        assertEquals(0, gate.trackedCount());
        assertTrue(port.fetches == 0);
    }
}
