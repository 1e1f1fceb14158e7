package dev.cortado.node.da.vid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VidTest {
    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void dataShareCountIsNMinusTwoF() {
        assertEquals(1, Vid.dataShareCount(1));
        assertEquals(2, Vid.dataShareCount(2));
        assertEquals(3, Vid.dataShareCount(3));
        assertEquals(2, Vid.dataShareCount(4));
        assertEquals(4, Vid.dataShareCount(10));
        assertEquals(11, Vid.dataShareCount(31));
        assertEquals(34, Vid.dataShareCount(100));
    }

    @Test
    void emptyAndOneBytePayloadsHaveDistinctCommitmentsAndRecover() throws Exception {
        Vid vid = new Vid(10);
        VidDispersal empty = vid.disperse(new byte[0]);
        VidDispersal one = vid.disperse(new byte[] {0});
        assertNotEquals(empty.commitment().vidRoot(), one.commitment().vidRoot());
        assertEquals(0, empty.share(3).dataLength());
        assertArrayEquals(new byte[0], vid.recover(empty.commitment(), empty.shares().subList(6, 10)));
        assertArrayEquals(new byte[] {0}, vid.recover(one.commitment(), one.shares().subList(5, 9)));
        assertEquals(vid.commit(new byte[0]), empty.commitment());
    }

    @Test
    void fiveMegabytesRecoverFromParityOnly() throws Exception {
        Vid vid = new Vid(10);
        byte[] payload = random(5 * 1024 * 1024, 1);
        VidDispersal d = vid.disperse(payload);
        assertArrayEquals(payload, vid.recover(d.commitment(), d.shares().subList(6, 10)));
    }

    @Test
    void proofsRejectMovedSharesForeignCommitmentsAndWrongLengths() {
        Vid vid = new Vid(7);
        VidDispersal d = vid.disperse(random(1000, 2));
        VidDispersal other = vid.disperse(random(1000, 3));
        VidShare s2 = d.share(2);
        VidShare s3 = d.share(3);
        assertTrue(vid.verifyShare(d.commitment(), s2));
        // share 2's bytes presented as share 3
        assertFalse(vid.verifyShare(d.commitment(), new VidShare(3, s2.data(), s3.proof())));
        assertFalse(vid.verifyShare(other.commitment(), s2));
        byte[] longer = java.util.Arrays.copyOf(s2.data(), s2.dataLength() + 2);
        assertTrue(vid.shareProblem(d.commitment(), new VidShare(2, longer, s2.proof())).orElseThrow().contains("bytes"));
        // the same shares under a commitment claiming another length
        var lying = new VidCommitment(d.commitment().shareRoot(), 7, 999);
        assertFalse(vid.verifyShare(lying, s2) && lying.vidRoot().equals(d.commitment().vidRoot()));
        assertNotEquals(lying.vidRoot(), d.commitment().vidRoot());
        assertFalse(new Vid(8).verifyShare(d.commitment(), s2));
    }

    @Test
    void recoveryRejectsInvalidDuplicateAndTooFewShares() {
        Vid vid = new Vid(10);
        VidDispersal d = vid.disperse(random(100, 4));
        assertThrows(IllegalArgumentException.class, () -> vid.recover(d.commitment(), d.shares().subList(0, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> vid.recover(d.commitment(), List.of(d.share(0), d.share(0), d.share(1), d.share(2))));
        byte[] bad = d.share(5).data();
        bad[0] ^= 1;
        List<VidShare> withBad = new ArrayList<>(d.shares().subList(0, 4));
        withBad.add(new VidShare(5, bad, d.share(5).proof()));
        var e = assertThrows(IllegalArgumentException.class, () -> vid.recover(d.commitment(), withBad));
        assertTrue(e.getMessage().contains("share 5"), e.getMessage());
    }

    @Test
    void inconsistentDispersalIsDetectedAndTheShareNamed() {
        Vid vid = new Vid(10);
        byte[] payload = random(10_000, 5);
        VidDispersal d = InconsistentDisperser.disperse(vid, payload, 7);
        // Every share passes its proof: only recovery can tell.
        d.shares().forEach(s -> assertTrue(vid.verifyShare(d.commitment(), s)));

        var all = assertThrows(InconsistentDispersalException.class, () -> vid.recover(d.commitment(), d.shares()));
        assertEquals(List.of(7), all.evidence().mismatchingShareIndexes());
        assertEquals(List.of(0, 1, 2, 3), all.evidence().decodedFrom());
        assertEquals(d.commitment().vidRoot(), all.evidence().vidRoot());

        // Share 7's committed leaf is share 6's level-0 sibling.
        var viaSibling = assertThrows(InconsistentDispersalException.class,
                () -> vid.recover(d.commitment(), List.of(d.share(0), d.share(1), d.share(2), d.share(6))));
        assertEquals(List.of(7), viaSibling.evidence().mismatchingShareIndexes());

        // With shares 0..3 only, the committed subtree over shares 4..7 is what differs.
        var viaSubtree = assertThrows(InconsistentDispersalException.class,
                () -> vid.recover(d.commitment(), d.shares().subList(0, 4)));
        assertEquals(List.of(), viaSubtree.evidence().mismatchingShareIndexes());
        assertEquals(List.of(new InconsistentDispersal.SubtreeMismatch(2, 4, 8)),
                viaSubtree.evidence().mismatchingSubtrees());
    }

    @Test
    void nonZeroPaddingIsAnInconsistentDispersal() {
        Vid vid = new Vid(4);
        int k = vid.dataShareCount();
        byte[] payload = random(5, 6); // k = 2, 4-byte shares: three padding bytes in share 1
        byte[][] data = new byte[k][];
        int shareBytes = Vid.shareBytes(payload.length, k);
        for (int j = 0; j < k; j++) {
            data[j] = new byte[shareBytes];
        }
        System.arraycopy(payload, 0, data[0], 0, 4);
        data[1][0] = payload[4];
        data[1][3] = 9; // padding that a consistent disperser leaves zero
        byte[][] shares = new ReedSolomon16(4, k).encode(data);
        List<Bytes32> leaves = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leaves.add(VidShare.leaf(i, shares[i]));
        }
        MerkleAccumulator tree = MerkleAccumulator.of(leaves);
        VidCommitment c = new VidCommitment(tree.root(), 4, payload.length);
        List<VidShare> given = List.of(new VidShare(2, shares[2], tree.proof(2)), new VidShare(3, shares[3], tree.proof(3)));
        assertThrows(InconsistentDispersalException.class, () -> vid.recover(c, given));
    }
}
