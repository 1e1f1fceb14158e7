package dev.cortado.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.protocol.types.Bytes32;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

/** protocol.codec.Keccak against published Ethereum values and BouncyCastle's KeccakDigest(256). */
class KeccakTest {
    private static Bytes32 reference(byte[] data) {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return new Bytes32(out);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    @Test
    void knownEthereumAnswers() {
        assertEquals("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
                Keccak.hash(new byte[0]).toHex());
        assertEquals("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
                Keccak.hash("abc".getBytes(StandardCharsets.US_ASCII)).toHex());
        // keccak256("transfer(address,uint256)"), whose first four bytes are the ERC-20 selector a9059cbb.
        assertEquals("0xa9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b",
                Keccak.hash("transfer(address,uint256)".getBytes(StandardCharsets.US_ASCII)).toHex());
    }

    @Test
    void everyLengthUpToFiveBlocksMatchesBouncyCastle() {
        SplittableRandom random = new SplittableRandom(1600);
        byte[] data = randomBytes(random, 600);
        for (int length = 0; length <= 600; length++) {
            byte[] prefix = Arrays.copyOf(data, length);
            assertEquals(reference(prefix), Keccak.hash(prefix), "length " + length);
        }
    }

    @Test
    void slicesMatchTheCopiedRange() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] data = randomBytes(random, 700);
        for (int offset = 0; offset < 9; offset++) {
            for (int length : new int[] {0, 1, 32, 64, 135, 136, 137, 300, 600}) {
                byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
                assertEquals(reference(copy), Keccak.hash(data, offset, length), offset + "+" + length);
            }
        }
    }

    @Test
    void randomLengthsUpToOneHundredKilobytesMatchBouncyCastle() {
        SplittableRandom random = new SplittableRandom(256);
        for (int trial = 0; trial < 40; trial++) {
            byte[] data = randomBytes(random, random.nextInt(100 * 1024 + 1));
            assertEquals(reference(data), Keccak.hash(data), "length " + data.length);
        }
    }

    @Test
    void hashPairIsTheHashOfTheSixtyFourByteConcatenation() {
        SplittableRandom random = new SplittableRandom(64);
        for (int trial = 0; trial < 200; trial++) {
            Bytes32 a = new Bytes32(randomBytes(random, 32));
            Bytes32 b = new Bytes32(randomBytes(random, 32));
            byte[] packed = new byte[64];
            a.copyTo(packed, 0);
            b.copyTo(packed, 32);
            assertEquals(reference(packed), Keccak.hashPair(a, b));
            assertEquals(Keccak.hash(packed), Keccak.hashPair(a, b));
            assertEquals(Keccak.hash(a.bytes(), b.bytes()), Keccak.hashPair(a, b));
        }
    }

    @Property(tries = 300)
    void multiPartInputHashesLikeItsConcatenation(@ForAll @Size(max = 1200) byte[] data,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1200) Integer> cuts) {
        int[] points = cuts.stream().mapToInt(c -> Math.min(c, data.length)).sorted().toArray();
        byte[][] parts = new byte[points.length + 1][];
        int from = 0;
        for (int k = 0; k < points.length; k++) {
            parts[k] = Arrays.copyOfRange(data, from, points[k]);
            from = points[k];
        }
        parts[points.length] = Arrays.copyOfRange(data, from, data.length);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        assertEquals(reference(joined.toByteArray()), Keccak.hash(parts));
        assertEquals(Keccak.hash(data), Keccak.hash(parts));
    }

    @Test
    void manySmallPartsCrossLaneAndBlockBoundaries() {
        SplittableRandom random = new SplittableRandom(3);
        for (int partLength = 1; partLength <= 17; partLength++) {
            byte[] data = randomBytes(random, 500);
            byte[][] parts = new byte[(data.length + partLength - 1) / partLength][];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = Arrays.copyOfRange(data, k * partLength, Math.min(data.length, (k + 1) * partLength));
            }
            assertEquals(reference(data), Keccak.hash(parts), "parts of " + partLength);
        }
    }

    @Test
    void noPartsIsTheEmptyHashAndBadRangesAreRejected() {
        assertEquals(reference(new byte[0]), Keccak.hash());
        byte[] data = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Keccak.hash(data, 0, -1));
    }
}
