package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.lightclient.submit.BinaryBatch;
import dev.cortado.lightclient.submit.MalformedBatchException;
import dev.cortado.lightclient.submit.Submission;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes the binary submission decoder (issue 10): whatever the bytes, it either refuses them
 * with {@link MalformedBatchException} or returns entries that re-encode to exactly those bytes;
 * no other exception, and every cut or extension of a valid body is refused.
 */
class BinaryBatchFuzzTest {

    @Provide
    Arbitrary<List<Submission>> batches() {
        Arbitrary<Submission> tx = Combinators.combine(Arbitraries.longs(), Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as(Submission::new);
        return tx.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 500)
    void validBodiesRoundTrip(@ForAll("batches") List<Submission> txs) throws MalformedBatchException {
        byte[] body = BinaryBatch.encode(txs);
        List<Submission> back = BinaryBatch.decode(body);
        assertEquals(txs.size(), back.size());
        for (int i = 0; i < txs.size(); i++) {
            assertEquals(txs.get(i).namespace(), back.get(i).namespace());
            assertArrayEquals(txs.get(i).payload(), back.get(i).payload());
        }
    }

    @Property(tries = 500)
    void everyCutOrExtensionIsRefused(@ForAll("batches") List<Submission> txs, @ForAll @IntRange(min = 1, max = 16) int extra,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int cutSeed) {
        byte[] body = BinaryBatch.encode(txs);
        byte[] cut = Arrays.copyOf(body, cutSeed % body.length);
        assertThrows(MalformedBatchException.class, () -> BinaryBatch.decode(cut));
        byte[] longer = Arrays.copyOf(body, body.length + extra);
        MalformedBatchException e = assertThrows(MalformedBatchException.class, () -> BinaryBatch.decode(longer));
        assertEquals(true, e.getMessage().contains("trailing"), e.getMessage());
    }

    /** Random bytes, mostly with a valid version so the fuzzer gets past the first check. */
    @Property(tries = 3000)
    void arbitraryBytesAreDecodedCanonicallyOrRefused(@ForAll("noise") byte[] body) {
        try {
            List<Submission> txs = BinaryBatch.decode(body);
            assertArrayEquals(body, BinaryBatch.encode(txs), "a body that decodes is the canonical encoding of its entries");
        } catch (MalformedBatchException refused) {
            assertEquals(false, refused.getMessage().isEmpty());
        }
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Combinators.combine(batches(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.bytes()).as((txs, at, value) -> {
                    byte[] b = BinaryBatch.encode(txs);
                    b[at % b.length] = value;
                    return b;
                });
        Arbitrary<byte[]> smallHeader = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(120)).as((count, rest) -> {
                    byte[] b = new byte[5 + rest.length];
                    b[0] = BinaryBatch.VERSION;
                    b[4] = count.byteValue();
                    System.arraycopy(rest, 0, b, 5, rest.length);
                    return b;
                });
        return Arbitraries.oneOf(random, mutated, smallHeader);
    }

    @Property(tries = 200)
    void hugeCountsAreRefusedBeforeAllocating(@ForAll @IntRange(min = 1) int count) {
        byte[] body = {BinaryBatch.VERSION, (byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count, 0, 0};
        assertThrows(MalformedBatchException.class, () -> BinaryBatch.decode(body));
    }
}
