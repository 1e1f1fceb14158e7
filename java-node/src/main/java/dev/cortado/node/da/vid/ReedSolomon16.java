package dev.cortado.node.da.vid;

/**
 * Systematic Reed–Solomon code over GF(2^16) with {@code n} shares of which any {@code k} recover the
 * data.
 *
 * <p>Share {@code i} holds the values of a polynomial of degree below {@code k} at the point
 * {@code x_i = i}, one 16-bit big-endian symbol per position. Shares {@code 0..k-1} are the data
 * itself; parity share {@code p} is {@code sum_j L_j(x_p) * data_j} with {@code L_j} the Lagrange
 * basis over the data points. Decoding from any {@code k} shares is the same linear combination with
 * the basis over the points present. Every coefficient is turned into a split multiplication table
 * once, so the inner loop is two table loads and two XORs per symbol, with no allocation.
 */
public final class ReedSolomon16 {
    public static final int MAX_SHARES = Gf16.ORDER;
    private static final int TILE_SYMBOLS = 4096;

    private final int n;
    private final int k;
    /** parityTables[p - k][j]: multiplication table for L_j(x_p). */
    private final int[][][] parityTables;

    public ReedSolomon16(int n, int k) {
        if (n < 1 || n > MAX_SHARES) {
            throw new IllegalArgumentException("share count must be in 1.." + MAX_SHARES + ", got " + n);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("data share count must be in 1.." + n + ", got " + k);
        }
        this.n = n;
        this.k = k;
        int[] dataPoints = new int[k];
        for (int j = 0; j < k; j++) {
            dataPoints[j] = j;
        }
        this.parityTables = new int[n - k][][];
        for (int p = k; p < n; p++) {
            parityTables[p - k] = lagrangeTables(dataPoints, p);
        }
    }

    public int shareCount() {
        return n;
    }

    public int dataShareCount() {
        return k;
    }

    /**
     * Encodes {@code k} data shares of equal even length into {@code n} shares; entries {@code 0..k-1}
     * of the result are the given arrays themselves.
     */
    public byte[][] encode(byte[][] data) {
        int shareBytes = checkShares(data, k, "data shares");
        int symbols = shareBytes / 2;
        byte[][] out = new byte[n][];
        System.arraycopy(data, 0, out, 0, k);
        int[] acc = new int[Math.min(TILE_SYMBOLS, Math.max(symbols, 1))];
        for (int p = k; p < n; p++) {
            out[p] = new byte[shareBytes];
            combine(parityTables[p - k], data, out[p], symbols, acc);
        }
        return out;
    }

    /**
     * Rebuilds the {@code k} data shares from exactly {@code k} shares at distinct indexes.
     *
     * @param indexes the share index of each entry of {@code shares}
     */
    public byte[][] decodeData(int[] indexes, byte[][] shares) {
        if (indexes.length != k) {
            throw new IllegalArgumentException("decoding needs exactly " + k + " shares, got " + indexes.length);
        }
        int shareBytes = checkShares(shares, k, "shares");
        boolean[] seen = new boolean[n];
        byte[][] data = new byte[k][];
        for (int t = 0; t < k; t++) {
            int idx = indexes[t];
            if (idx < 0 || idx >= n) {
                throw new IllegalArgumentException("share index " + idx + " outside 0.." + (n - 1));
            }
            if (seen[idx]) {
                throw new IllegalArgumentException("share index " + idx + " given twice");
            }
            seen[idx] = true;
            if (idx < k) {
                data[idx] = shares[t];
            }
        }
        int symbols = shareBytes / 2;
        int[] acc = new int[Math.min(TILE_SYMBOLS, Math.max(symbols, 1))];
        for (int j = 0; j < k; j++) {
            if (data[j] == null) {
                data[j] = new byte[shareBytes];
                combine(lagrangeTables(indexes, j), shares, data[j], symbols, acc);
            }
        }
        return data;
    }

    private static int checkShares(byte[][] shares, int expected, String what) {
        if (shares.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " " + what + ", got " + shares.length);
        }
        int len = shares[0].length;
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("share length must be even (16-bit symbols), got " + len);
        }
        for (byte[] s : shares) {
            if (s.length != len) {
                throw new IllegalArgumentException("shares differ in length: " + s.length + " vs " + len);
            }
        }
        return len;
    }

    /** Split tables of {@code L_t(x)} for each point of {@code points}, evaluated at {@code x}. */
    private static int[][] lagrangeTables(int[] points, int x) {
        int[][] tables = new int[points.length][];
        for (int t = 0; t < points.length; t++) {
            int num = 1;
            int den = 1;
            for (int m = 0; m < points.length; m++) {
                if (m != t) {
                    num = Gf16.mul(num, x ^ points[m]);
                    den = Gf16.mul(den, points[t] ^ points[m]);
                }
            }
            tables[t] = Gf16.splitTable(Gf16.div(num, den));
        }
        return tables;
    }

    /** out = sum_j c_j * sources[j], tile by tile so the accumulator stays in cache. */
    private static void combine(int[][] tables, byte[][] sources, byte[] out, int symbols, int[] acc) {
        for (int start = 0; start < symbols; start += TILE_SYMBOLS) {
            int len = Math.min(TILE_SYMBOLS, symbols - start);
            int base = 2 * start;
            int[] t0 = tables[0];
            byte[] s0 = sources[0];
            for (int s = 0; s < len; s++) {
                int b = base + 2 * s;
                acc[s] = t0[256 + (s0[b] & 0xff)] ^ t0[s0[b + 1] & 0xff];
            }
            for (int j = 1; j < tables.length; j++) {
                int[] t = tables[j];
                byte[] src = sources[j];
                for (int s = 0; s < len; s++) {
                    int b = base + 2 * s;
                    acc[s] ^= t[256 + (src[b] & 0xff)] ^ t[src[b + 1] & 0xff];
                }
            }
            for (int s = 0; s < len; s++) {
                int b = base + 2 * s;
                int v = acc[s];
                out[b] = (byte) (v >>> 8);
                out[b + 1] = (byte) v;
            }
        }
    }

    @Override
    public String toString() {
        return "ReedSolomon16[n=" + n + ", k=" + k + "]";
    }
}
