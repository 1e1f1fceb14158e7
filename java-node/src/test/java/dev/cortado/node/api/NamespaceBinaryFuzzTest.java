package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.NamespaceBinary;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the binary namespace answer's decoder, which a follower runs on bytes from a node it does not trust: a
 * body either decodes to the proof it is the canonical encoding of, or is refused with an
 * IllegalArgumentException; nothing else escapes, and every cut or extension of a real answer is refused.
 */
class NamespaceBinaryFuzzTest {

    /** Real answers: a block's namespace proof, for a namespace it holds (with a path) or lacks (without). */
    @Provide
    Arbitrary<NamespaceProof> proofs() {
        Arbitrary<Transaction> tx = Combinators.combine(Arbitraries.longs().between(1, 4),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(48))
                .as((ns, payload) -> new Transaction(NamespaceId.of(ns), payload));
        return Combinators.combine(tx.list().ofMaxSize(30), Arbitraries.longs().between(1, 5))
                .as((txs, ns) -> BlockPayload.build(txs).namespaceProof(NamespaceId.of(ns)));
    }

    @Property(tries = 400)
    void realAnswersRoundTrip(@ForAll("proofs") NamespaceProof proof, @ForAll @IntRange(min = 0, max = 1 << 30) int height) {
        byte[] body = NamespaceBinary.encode(height, proof);
        NamespaceBinary.Decoded back = NamespaceBinary.decode(body);
        assertEquals(height, back.height());
        assertEquals(proof.namespace(), back.proof().namespace());
        assertArrayEquals(proof.nsTable(), back.proof().nsTable());
        assertEquals(proof.transactions(), back.proof().transactions());
        assertEquals(proof.nsPath(), back.proof().nsPath());
        assertArrayEquals(body, NamespaceBinary.encode(height, back.proof()));
    }

    @Property(tries = 400)
    void everyCutOrExtensionIsRefused(@ForAll("proofs") NamespaceProof proof, @ForAll @IntRange(min = 1, max = 16) int extra,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int cutSeed) {
        byte[] body = NamespaceBinary.encode(7, proof);
        byte[] cut = Arrays.copyOf(body, cutSeed % body.length);
        IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(cut));
        assertTrue(short_.getMessage().contains("truncated"), short_.getMessage());
        byte[] longer = Arrays.copyOf(body, body.length + extra);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Property(tries = 3000)
    void arbitraryBytesAreDecodedCanonicallyOrRefused(@ForAll("noise") byte[] body) {
        NamespaceBinary.Decoded d;
        try {
            d = NamespaceBinary.decode(body);
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
            return;
        }
        assertArrayEquals(body, NamespaceBinary.encode(d.height(), d.proof()), "a body that decodes is canonical");
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Combinators.combine(proofs(), Arbitraries.integers().between(0, 100_000), Arbitraries.bytes())
                .as((proof, at, value) -> {
                    byte[] b = NamespaceBinary.encode(3, proof);
                    b[at % b.length] = value;
                    return b;
                });
        return Arbitraries.oneOf(random, mutated);
    }

    @Test
    void anAbsentNamespaceHasNoPathAndAFlagOfZero() {
        NamespaceProof absent = BlockPayload.build(List.of(new Transaction(NamespaceId.of(1), new byte[] {9})))
                .namespaceProof(NamespaceId.of(2));
        byte[] body = NamespaceBinary.encode(0, absent);
        assertEquals(0, body[body.length - 1]);
        assertNull(NamespaceBinary.decode(body).proof().nsPath());
    }

    @Test
    void hugeDeclaredCountsAndBadFlagsAreRefusedBeforeAllocating() {
        // version, height, namespace, empty table, then a count of 2^32-1 with nothing after it.
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4).put(NamespaceBinary.VERSION).putLong(1).putLong(1).putInt(0).putInt(-1);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(b.array()));
        assertTrue(count.getMessage().contains("count 4294967295 (a 4-byte length each) needs 17179869180 bytes, 0 left"), count.getMessage());

        ByteBuffer flag = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4 + 1).put(NamespaceBinary.VERSION).putLong(1).putLong(1).putInt(0)
                .putInt(0).put((byte) 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(flag.array())).getMessage()
                .contains("path flag"));

        ByteBuffer deep = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4 + 1 + 9).put(NamespaceBinary.VERSION).putLong(1).putLong(1).putInt(0)
                .putInt(0).put((byte) 1).putInt(0).putInt(1).put((byte) 33);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(deep.array())).getMessage()
                .contains("at most 32 siblings"));

        byte[] version = NamespaceBinary.encode(0, BlockPayload.EMPTY.namespaceProof(NamespaceId.of(1)));
        version[0] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(version)).getMessage()
                .contains("version 2"));

        byte[] negative = NamespaceBinary.encode(0, BlockPayload.EMPTY.namespaceProof(NamespaceId.of(1)));
        negative[1] = (byte) 0x80;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NamespaceBinary.decode(negative)).getMessage()
                .contains("0..2^63-1"));
    }
}
