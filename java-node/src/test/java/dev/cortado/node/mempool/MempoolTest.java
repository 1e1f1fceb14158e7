package dev.cortado.node.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.types.Bytes32;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MempoolTest {
    private static byte[] tx(int size, int tag) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) tag);
        return b;
    }

    private static SubmitResult.Reason refusal(SubmitResult r) {
        return assertInstanceOf(SubmitResult.Refused.class, r).reason();
    }

    @Test
    void refusesBadTransactionsWithAReason() {
        Mempool m = new Mempool(new MempoolLimits(1000, 5000, 20000, 100), h -> false);
        assertEquals(SubmitResult.Reason.EMPTY_TRANSACTION, refusal(m.submit(1, new byte[0])));
        assertEquals(SubmitResult.Reason.MALFORMED_NAMESPACE, refusal(m.submit(-1, tx(10, 1))));
        SubmitResult big = m.submit(1, tx(997, 1));
        assertEquals(SubmitResult.Reason.TRANSACTION_TOO_LARGE, refusal(big));
        assertTrue(((SubmitResult.Refused) big).detail().contains("996"), ((SubmitResult.Refused) big).detail());
        assertInstanceOf(SubmitResult.Accepted.class, m.submit(1, tx(996, 1)));
        assertEquals(1, m.size());
    }

    @Test
    void deduplicatesPendingAndDecided() {
        Set<Bytes32> decided = new HashSet<>();
        Mempool m = new Mempool(MempoolLimits.defaults(), decided::contains);
        Bytes32 h = assertInstanceOf(SubmitResult.Accepted.class, m.submit(7, tx(5, 1))).hash();
        assertEquals(new SubmitResult.Duplicate(h), m.submit(7, tx(5, 1)));
        assertInstanceOf(SubmitResult.Accepted.class, m.submit(8, tx(5, 1)), "same bytes, other namespace: other tx");
        m.removeDecided(List.of(h));
        decided.add(h);
        assertEquals(new SubmitResult.Duplicate(h), m.submit(7, tx(5, 1)));
        assertEquals(1, m.size());
    }

    @Test
    void boundedPerNamespaceAndInTotal() {
        Mempool m = new Mempool(new MempoolLimits(1000, 300, 500, 100), h -> false);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(SubmitResult.Accepted.class, m.submit(1, tx(96, i)));
        }
        assertEquals(SubmitResult.Reason.NAMESPACE_FULL, refusal(m.submit(1, tx(96, 9))));
        assertInstanceOf(SubmitResult.Accepted.class, m.submit(2, tx(96, 1)));
        assertInstanceOf(SubmitResult.Accepted.class, m.submit(3, tx(96, 1)));
        assertEquals(SubmitResult.Reason.MEMPOOL_FULL, refusal(m.submit(4, tx(96, 1))));
        assertEquals(500, m.totalBytes());
        Mempool few = new Mempool(new MempoolLimits(1000, 300, 500, 1), h -> false);
        few.submit(1, tx(1, 1));
        assertEquals(SubmitResult.Reason.MEMPOOL_FULL, refusal(few.submit(1, tx(1, 2))));
    }

    @Test
    void selectionRespectsBlockSizeSharesNamespacesAndSkipsInFlight() {
        Mempool m = new Mempool(new MempoolLimits(10_000, 10_000, 100_000, 1000), h -> false);
        for (int i = 0; i < 10; i++) {
            m.submit(1, tx(96, i));
            m.submit(2, tx(96, i));
        }
        List<PendingTx> block = m.select(500, Set.of());
        assertEquals(5, block.size());
        assertTrue(block.stream().anyMatch(t -> t.namespace() == 1) && block.stream().anyMatch(t -> t.namespace() == 2));
        assertTrue(block.stream().mapToInt(PendingTx::blockBytes).sum() <= 500);
        Set<Bytes32> inFlight = new HashSet<>();
        block.forEach(t -> inFlight.add(t.hash()));
        List<PendingTx> next = m.select(10_000, inFlight);
        assertEquals(15, next.size());
        assertTrue(next.stream().noneMatch(t -> inFlight.contains(t.hash())));
        m.removeDecided(inFlight);
        assertEquals(15, m.size());
        // Within a namespace, arrival order is kept: the i-th submitted payload is filled with byte i.
        List<PendingTx> ns1 = m.select(10_000, Set.of()).stream().filter(t -> t.namespace() == 1).toList();
        assertTrue(ns1.size() > 1, "the order check needs at least two transactions");
        for (int i = 1; i < ns1.size(); i++) {
            assertTrue(ns1.get(i - 1).payload()[0] < ns1.get(i).payload()[0]);
        }
    }

    /** The content index vouches only for exactly the bytes and namespace it hashed, and only while they are pending. */
    @Test
    void knownHashAnswersOnlyForPendingTransactionsWithEqualBytes() {
        Mempool m = new Mempool(MempoolLimits.defaults(), h -> false);
        Bytes32 h = assertInstanceOf(SubmitResult.Accepted.class, m.submit(7, tx(50, 1))).hash();
        assertEquals(h, m.knownHash(7, tx(50, 1)));
        assertNull(m.knownHash(8, tx(50, 1)));
        byte[] flipped = tx(50, 1);
        flipped[49] ^= 1;
        assertNull(m.knownHash(7, flipped));
        assertNull(m.knownHash(7, tx(49, 1)));
        m.removeDecided(List.of(h));
        assertNull(m.knownHash(7, tx(50, 1)));
    }

    /**
     * Payloads built from the pairs (1, 40) and (2, 9), which add the same to {@code Arrays.hashCode}: 256 distinct
     * transactions in one hash bucket. Each is still answered with its own hash, and a colliding payload that was
     * never submitted with none.
     */
    @Test
    void knownHashStaysExactWhenSubmittersMakeTheBytesHashCodesCollide() {
        Mempool m = new Mempool(MempoolLimits.defaults(), h -> false);
        java.util.Map<Integer, Bytes32> hashes = new java.util.HashMap<>();
        for (int bits = 0; bits < 256; bits += 2) {
            hashes.put(bits, assertInstanceOf(SubmitResult.Accepted.class, m.submit(7, colliding(bits))).hash());
        }
        for (int bits = 0; bits < 256; bits++) {
            byte[] p = colliding(bits);
            assertEquals(java.util.Arrays.hashCode(colliding(0)), java.util.Arrays.hashCode(p));
            assertEquals(hashes.get(bits), m.knownHash(7, p), "payload " + bits);
        }
    }

    private static byte[] colliding(int bits) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            boolean one = ((bits >> i) & 1) == 1;
            b[2 * i] = (byte) (one ? 2 : 1);
            b[2 * i + 1] = (byte) (one ? 9 : 40);
        }
        return b;
    }
}
