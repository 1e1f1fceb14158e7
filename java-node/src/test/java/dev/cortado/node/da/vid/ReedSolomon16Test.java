package dev.cortado.node.da.vid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReedSolomon16Test {

    @Test
    void fieldGeneratorVisitsEveryNonZeroElement() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < Gf16.ORDER - 1; i++) {
            seen.add(Gf16.exp(i));
        }
        assertEquals(Gf16.ORDER - 1, seen.size());
        assertTrue(!seen.contains(0));
    }

    @Test
    void fieldInversesAndSplitTablesAgreeWithMul() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int a = 1 + rnd.nextInt(Gf16.ORDER - 1);
            int b = rnd.nextInt(Gf16.ORDER);
            assertEquals(1, Gf16.mul(a, Gf16.inv(a)));
            assertEquals(b, Gf16.mul(Gf16.div(b, a), a));
            int[] t = Gf16.splitTable(a);
            assertEquals(Gf16.mul(a, b), t[b & 0xff] ^ t[256 + (b >>> 8)]);
        }
        assertThrows(ArithmeticException.class, () -> Gf16.inv(0));
    }

    @Test
    void multiplicationDistributesOverAddition() {
        Random rnd = new Random(11);
        for (int i = 0; i < 2000; i++) {
            int a = rnd.nextInt(Gf16.ORDER);
            int b = rnd.nextInt(Gf16.ORDER);
            int c = rnd.nextInt(Gf16.ORDER);
            assertEquals(Gf16.mul(a, b ^ c), Gf16.mul(a, b) ^ Gf16.mul(a, c));
            assertEquals(Gf16.mul(a, Gf16.mul(b, c)), Gf16.mul(Gf16.mul(a, b), c));
        }
    }

    @Test
    void anyKSharesDecodeBeyond256Shares() {
        int n = 300;
        int k = 100;
        ReedSolomon16 rs = new ReedSolomon16(n, k);
        Random rnd = new Random(3);
        byte[][] data = new byte[k][10];
        for (byte[] d : data) {
            rnd.nextBytes(d);
        }
        byte[][] shares = rs.encode(data);
        for (int trial = 0; trial < 3; trial++) {
            int[] idx = rnd.ints(0, n).distinct().limit(k).toArray();
            byte[][] picked = new byte[k][];
            for (int t = 0; t < k; t++) {
                picked[t] = shares[idx[t]];
            }
            byte[][] back = rs.decodeData(idx, picked);
            for (int j = 0; j < k; j++) {
                assertArrayEquals(data[j], back[j]);
            }
        }
    }

    @Test
    void rejectsBadShapes() {
        ReedSolomon16 rs = new ReedSolomon16(10, 4);
        assertThrows(IllegalArgumentException.class, () -> rs.encode(new byte[3][2]));
        assertThrows(IllegalArgumentException.class, () -> rs.encode(new byte[][] {new byte[2], new byte[2], new byte[2], new byte[4]}));
        assertThrows(IllegalArgumentException.class, () -> rs.encode(new byte[4][3]));
        assertThrows(IllegalArgumentException.class,
                () -> rs.decodeData(new int[] {0, 1, 1, 2}, new byte[4][2]));
        assertThrows(IllegalArgumentException.class,
                () -> rs.decodeData(new int[] {0, 1, 2, 10}, new byte[4][2]));
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon16(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon16(4, 5));
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon16(Gf16.ORDER + 1, 2));
    }
}
