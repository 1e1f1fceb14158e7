package dev.cortado.protocol.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {
    static List<Bytes32> leaves(int n) {
        List<Bytes32> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Keccak.hash(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        return out;
    }

    /** Independent reference: explicit padding with zero leaves, then halve until one node is left. */
    static Bytes32 naiveRoot(List<Bytes32> leaves) {
        if (leaves.isEmpty()) {
            return Bytes32.ZERO;
        }
        List<Bytes32> level = new ArrayList<>(leaves);
        int width = 1;
        while (width < level.size()) {
            width *= 2;
        }
        while (level.size() < width) {
            level.add(Bytes32.ZERO);
        }
        while (level.size() > 1) {
            List<Bytes32> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                up.add(Keccak.hash(level.get(i).bytes(), level.get(i + 1).bytes()));
            }
            level = up;
        }
        return level.getFirst();
    }

    @Test
    void smallTreesHaveTheDocumentedShape() {
        List<Bytes32> l = leaves(3);
        assertEquals(Bytes32.ZERO, MerkleTree.root(List.of()));
        assertEquals(l.get(0), MerkleTree.root(l.subList(0, 1)));
        Bytes32 left = Keccak.hash(l.get(0).bytes(), l.get(1).bytes());
        Bytes32 right = Keccak.hash(l.get(2).bytes(), Bytes32.ZERO.bytes());
        assertEquals(Keccak.hash(left.bytes(), right.bytes()), MerkleTree.root(l));
    }

    @Test
    void rootsProofsAndAccumulatorAgreeWithReference() {
        MerkleAccumulator acc = new MerkleAccumulator();
        List<Bytes32> all = leaves(70);
        assertEquals(Bytes32.ZERO, acc.root());
        for (int n = 1; n <= all.size(); n++) {
            assertEquals(n - 1, acc.append(all.get(n - 1)));
            List<Bytes32> l = all.subList(0, n);
            Bytes32 root = naiveRoot(l);
            assertEquals(root, MerkleTree.root(l), "root n=" + n);
            assertEquals(root, acc.root(), "accumulator root n=" + n);
            for (int i = 0; i < n; i++) {
                MerkleProof p = MerkleTree.proof(l, i);
                assertTrue(p.verify(l.get(i), root), "proof n=" + n + " i=" + i);
                assertEquals(p, acc.proof(i), "accumulator proof n=" + n + " i=" + i);
            }
        }
        for (int count = 0; count <= all.size(); count++) {
            assertEquals(naiveRoot(all.subList(0, count)), acc.root(count), "historic root " + count);
        }
        MerkleProof old = acc.proof(5, 9);
        assertTrue(old.verify(all.get(5), naiveRoot(all.subList(0, 9))));
    }

    @Test
    void tamperedProofsFail() {
        List<Bytes32> l = leaves(11);
        Bytes32 root = MerkleTree.root(l);
        MerkleProof p = MerkleTree.proof(l, 6);
        assertFalse(p.verify(l.get(7), root));
        assertFalse(new MerkleProof(7, 11, p.siblings()).verify(l.get(6), root));
        List<Bytes32> bad = new ArrayList<>(p.siblings());
        bad.set(2, Bytes32.ZERO);
        assertFalse(new MerkleProof(6, 11, bad).verify(l.get(6), root));
    }

    @Test
    void malformedProofsAndIndicesAreRejected() {
        List<Bytes32> l = leaves(5);
        MerkleProof p = MerkleTree.proof(l, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> MerkleTree.proof(l, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> MerkleTree.proof(l, -1));
        assertThrows(IllegalArgumentException.class, () -> new MerkleProof(5, 5, p.siblings()));
        assertThrows(IllegalArgumentException.class, () -> new MerkleProof(1, 5, p.siblings().subList(0, 2)));
        List<Bytes32> tooMany = new ArrayList<>(p.siblings());
        tooMany.add(Bytes32.ZERO);
        assertThrows(IllegalArgumentException.class, () -> new MerkleProof(1, 5, tooMany));
        assertThrows(IllegalArgumentException.class, () -> new MerkleProof(0, 0, List.of()));
        MerkleAccumulator acc = MerkleAccumulator.of(l);
        assertThrows(IndexOutOfBoundsException.class, () -> acc.proof(5));
        assertThrows(IndexOutOfBoundsException.class, () -> acc.root(6));
    }
}
