package dev.cortado.settlement.batch.codec;

/**
 * RLP scalars (big-endian, no leading zero) as varints. A value of at most 7 bytes is written as
 * {@code zigzag(value - previous) << 1}; anything else (longer, or with a leading zero, which only
 * a non-canonical encoding has) as {@code length << 1 | 1} and the bytes.
 */
final class Scalars {
    private Scalars() {}

    /** Writes {@code bytes}; returns the value later deltas start from. */
    static long put(ByteSink out, byte[] bytes, long previous) {
        if (bytes.length <= 7 && (bytes.length == 0 || bytes[0] != 0)) {
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xFF);
            }
            long delta = v - previous;
            out.putVarint(((delta << 1) ^ (delta >> 63)) << 1);
            return v;
        }
        out.putVarint(((long) bytes.length << 1) | 1);
        out.put(bytes);
        return previous;
    }

    /** Reads what {@link #put} wrote, into {@code holder[0]} the new previous value. */
    static byte[] get(ByteSource in, long previous, long[] holder) {
        long x = in.varint();
        if ((x & 1) == 1) {
            long len = x >>> 1;
            if (len > 32) {
                throw new BatchDecodeException("scalar of " + len + " bytes exceeds 32");
            }
            holder[0] = previous;
            return in.get((int) len);
        }
        long zz = x >>> 1;
        long v = previous + ((zz >>> 1) ^ -(zz & 1));
        if (v < 0 || v >= (1L << 56)) {
            throw new BatchDecodeException("scalar delta gives " + v + ", outside 0..2^56");
        }
        holder[0] = v;
        int len = (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
        byte[] out = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }
}
