package dev.cortado.node.da;

import static dev.cortado.node.da.DaFixtures.CHAIN_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.SignatureAccumulator.Status;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaCommitteeTest {
    // Seven validators; the committee is 0, 2, 4, 6 with stakes 1, 3, 1, 3 (x 32 gwei·10^9).
    private final List<BlsKeyPair> keys = StakeFixtures.keys(7);
    private final StakeTable table = StakeFixtures.table(keys);
    private final BlockPayload payload = DaFixtures.payload(1, 40);
    private final BlockHeader header = DaFixtures.header(payload, table.size());

    private DaReview review(int member, BlockHeader h, byte[] nsTable, byte[] bytes) {
        return new DaCommitteeMember(CHAIN_ID, table, keys.get(member)).review(h, nsTable, bytes);
    }

    private DaVote approve(int member) {
        return assertInstanceOf(DaReview.Approved.class, review(member, header, payload.nsTableBytes(), payload.bytes())).vote();
    }

    private static String rejection(DaReview r) {
        return assertInstanceOf(DaReview.Rejected.class, r).reason();
    }

    @Test
    void memberSignsTheDaVoteWhenBothCommitmentsMatch() {
        DaVote vote = approve(2);
        assertEquals(2, vote.signerIndex());
        assertTrue(Bls.verify(keys.get(2).publicKey(), vote.digest(CHAIN_ID), vote.signature()));
        assertEquals(header.vidRoot(), vote.vidRoot());
    }

    @Test
    void memberRefusesPayloadsThatDoNotMatchTheHeader() {
        BlockPayload other = DaFixtures.payload(2, 40);
        assertTrue(rejection(review(0, header, other.nsTableBytes(), other.bytes())).contains("mismatch"));
        BlockHeader wrongVid = DaFixtures.header(payload, new Vid(table.size() + 1).commit(payload.bytes()).vidRoot());
        assertTrue(rejection(review(0, wrongVid, payload.nsTableBytes(), payload.bytes())).contains("vidRoot"));
        BlockHeader wrongRoot = DaFixtures.header(other, header.vidRoot());
        assertTrue(rejection(review(0, new BlockHeader(wrongRoot.height(), wrongRoot.view(), wrongRoot.parent(),
                wrongRoot.timestampMs(), wrongRoot.l1Head(), other.payloadRoot(), header.vidRoot(), payload.nsTableComm(),
                payload.byteLength(), Bytes32.ZERO), payload.nsTableBytes(), payload.bytes())).contains("payloadRoot"));
        byte[] flipped = payload.bytes();
        flipped[flipped.length - 1] ^= 1; // inside the last transaction: parses, but the root moves
        assertTrue(rejection(review(0, header, payload.nsTableBytes(), flipped)).contains("payloadRoot"));
        byte[] truncated = java.util.Arrays.copyOf(payload.bytes(), payload.byteLength() - 1);
        assertTrue(rejection(review(0, header, payload.nsTableBytes(), truncated)).contains("malformed"));
        assertTrue(rejection(review(0, header, BlockPayload.EMPTY.nsTableBytes(), new byte[0])).contains("nsTableComm"));
    }

    /** The runtime's form: the payload it already parsed and the VID root it already computed, checked the same way. */
    @Test
    void reviewOfAnAlreadyParsedPayloadChecksTheSameCommitments() {
        DaCommitteeMember m = new DaCommitteeMember(CHAIN_ID, table, keys.get(4));
        Bytes32 vidRoot = new Vid(table.size()).commit(payload.bytes()).vidRoot();
        DaVote vote = assertInstanceOf(DaReview.Approved.class, m.review(header, payload, vidRoot)).vote();
        assertEquals(approve(4).digest(CHAIN_ID), vote.digest(CHAIN_ID));
        assertTrue(rejection(m.review(header, payload, Bytes32.ZERO)).contains("vidRoot"));
        assertTrue(rejection(m.review(header, DaFixtures.payload(2, 40), vidRoot)).contains("mismatch"));
        assertTrue(rejection(m.review(header, BlockPayload.EMPTY, vidRoot)).contains("nsTableComm"));
    }

    @Test
    void onlyCommitteeMembersInTheTableCanReview() {
        assertThrows(IllegalArgumentException.class, () -> new DaCommitteeMember(CHAIN_ID, table, keys.get(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new DaCommitteeMember(CHAIN_ID, table, StakeFixtures.key(100)));
    }

    @Test
    void certificateFormsAboveTwoThirdsOfCommitteeStakeOnly() {
        DaCertificateCollector collector = new DaCertificateCollector(CHAIN_ID, table, header);
        assertEquals(Status.ACCEPTED, counted(collector.add(approve(0))));
        assertEquals(Status.ACCEPTED, counted(collector.add(approve(4))));
        assertEquals(Status.ACCEPTED, counted(collector.add(approve(2)))); // 5 of 8 units: not above 2/3
        assertEquals(Status.DUPLICATE, counted(collector.add(approve(2))));
        assertTrue(collector.certificate().isEmpty());

        // validator 1 signs the same digest but is not on the committee: refused before its signature is checked
        DaVote outsider = new DaVote(header.view(), header.commitment(CHAIN_ID), header.payloadRoot(), header.vidRoot(), 1,
                Bls.sign(keys.get(1).secretKey(), approve(0).digest(CHAIN_ID)));
        assertInstanceOf(DaCertificateCollector.Result.NotMember.class, collector.add(outsider));
        // member 6's index with member 0's signature
        DaVote forged = new DaVote(header.view(), header.commitment(CHAIN_ID), header.payloadRoot(), header.vidRoot(), 6, approve(0).signature());
        assertEquals(Status.INVALID_SIGNATURE, counted(collector.add(forged)));
        DaVote otherProposal = new DaVote(header.view().next(), header.commitment(CHAIN_ID), header.payloadRoot(), header.vidRoot(), 6, approve(6).signature());
        assertInstanceOf(DaCertificateCollector.Result.WrongProposal.class, collector.add(otherProposal));

        assertEquals(Status.CERTIFIED, counted(collector.add(approve(6))));
        AggregateCertificate cert = collector.certificate().orElseThrow();
        assertTrue(DaCertificateCollector.verify(CHAIN_ID, table, header, cert).isValid());
        BlockHeader otherHeader = DaFixtures.header(DaFixtures.payload(3, 5), table.size());
        assertEquals(Verdict.Reason.WRONG_DIGEST, DaCertificateCollector.verify(CHAIN_ID, table, otherHeader, cert).reason());
        assertTrue(!DaCertificateCollector.verify(CHAIN_ID + 1, table, header, cert).isValid());
    }

    /**
     * Fault 7: the DA vote binds the header. The same payload proposed in one view under two parents
     * (an equivocating leader) gets votes that count only for the header they were cast on, and a
     * certificate for one header does not verify for the other.
     */
    @Test
    void daVotesAndCertificatesBindTheProposedHeader() {
        BlockHeader otherParent = new BlockHeader(header.height(), header.view(), Bytes32.fromHex("0x" + "ab".repeat(32)),
                header.timestampMs(), header.l1Head(), header.payloadRoot(), header.vidRoot(), header.nsTableComm(),
                header.payloadBytes(), header.blockCommRoot());
        DaVote forOther = assertInstanceOf(DaReview.Approved.class,
                review(6, otherParent, payload.nsTableBytes(), payload.bytes())).vote();
        assertEquals(otherParent.commitment(CHAIN_ID), forOther.headerCommitment());
        DaCertificateCollector collector = new DaCertificateCollector(CHAIN_ID, table, header);
        assertInstanceOf(DaCertificateCollector.Result.WrongProposal.class, collector.add(forOther));
        // Relabelled with this header's commitment, the signature no longer verifies.
        DaVote relabelled = new DaVote(forOther.view(), header.commitment(CHAIN_ID), forOther.payloadRoot(), forOther.vidRoot(), 6,
                forOther.signature());
        assertEquals(Status.INVALID_SIGNATURE, counted(collector.add(relabelled)));
        for (int m : new int[] {0, 2, 4, 6}) {
            collector.add(approve(m));
        }
        AggregateCertificate cert = collector.certificate().orElseThrow();
        assertTrue(DaCertificateCollector.verify(CHAIN_ID, table, header, cert).isValid());
        assertEquals(Verdict.Reason.WRONG_DIGEST, DaCertificateCollector.verify(CHAIN_ID, table, otherParent, cert).reason());
    }

    private static Status counted(DaCertificateCollector.Result r) {
        return assertInstanceOf(DaCertificateCollector.Result.Counted.class, r).outcome().status();
    }
}
