package dev.cortado.node.da.vid;

/**
 * Arithmetic in GF(2^16) with the primitive polynomial x^16 + x^12 + x^3 + x + 1 (0x1100B).
 *
 * <p>A 16-bit field lets the code have up to 65536 distinct evaluation points, so the number of
 * shares can exceed 256. Multiplication uses log/antilog tables; the hot encoding loop does not call
 * {@link #mul} per symbol but uses {@link #splitTable}, two 256-entry tables per constant.
 */
public final class Gf16 {
    public static final int ORDER = 1 << 16;
    private static final int POLY = 0x1100B;
    private static final int[] EXP = new int[2 * (ORDER - 1)];
    private static final int[] LOG = new int[ORDER];

    static {
        int x = 1;
        for (int i = 0; i < ORDER - 1; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & ORDER) != 0) {
                x ^= POLY;
            }
        }
        // Doubling the antilog table lets mul index exp[log a + log b] without a modulo.
        System.arraycopy(EXP, 0, EXP, ORDER - 1, ORDER - 1);
        LOG[0] = -1;
    }

    private Gf16() {
    }

    public static int add(int a, int b) {
        return a ^ b;
    }

    public static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    public static int inv(int a) {
        if (a == 0) {
            throw new ArithmeticException("zero has no inverse in GF(2^16)");
        }
        return EXP[(ORDER - 1) - LOG[a]];
    }

    public static int div(int a, int b) {
        return mul(a, inv(b));
    }

    /** {@code exp(i)} = alpha^i, for tests of the field's structure. */
    static int exp(int i) {
        return EXP[Math.floorMod(i, ORDER - 1)];
    }

    /**
     * Multiplication by the constant {@code c} as two byte-indexed tables:
     * {@code c * s = t[s & 0xff] ^ t[256 + (s >>> 8)]} for a 16-bit symbol {@code s}.
     */
    public static int[] splitTable(int c) {
        int[] t = new int[512];
        for (int b = 0; b < 256; b++) {
            t[b] = mul(c, b);
            t[256 + b] = mul(c, b << 8);
        }
        return t;
    }
}
