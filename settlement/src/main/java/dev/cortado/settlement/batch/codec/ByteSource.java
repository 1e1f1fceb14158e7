package dev.cortado.settlement.batch.codec;

/** A bounded reader: every read checks the remaining length, so hostile input fails cleanly. */
final class ByteSource {
    private final byte[] buf;
    private final int end;
    private final String what;
    private int pos;

    ByteSource(byte[] buf, int off, int len, String what) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.what = what;
    }

    ByteSource(byte[] buf, String what) {
        this(buf, 0, buf.length, what);
    }

    int remaining() {
        return end - pos;
    }

    int position() {
        return pos;
    }

    byte[] array() {
        return buf;
    }

    private void need(int n) {
        if (n < 0 || n > end - pos) {
            throw new BatchDecodeException(what + ": needs " + n + " bytes at offset " + pos + ", has " + (end - pos));
        }
    }

    int get() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    void get(byte[] dst, int off, int len) {
        need(len);
        System.arraycopy(buf, pos, dst, off, len);
        pos += len;
    }

    byte[] get(int len) {
        need(len);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    void skip(int len) {
        need(len);
        pos += len;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = get();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && b > 1) {
                    break;
                }
                return result;
            }
        }
        throw new BatchDecodeException(what + ": varint longer than 64 bits at offset " + pos);
    }

    /** A varint that must lie in {@code [0, max]}. */
    int boundedVarint(long max, String field) {
        long v = varint();
        if (v < 0 || v > max) {
            throw new BatchDecodeException(what + ": " + field + " " + Long.toUnsignedString(v) + " exceeds " + max);
        }
        return (int) v;
    }

    long signedVarint() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    int u32() {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u64() {
        return ((long) u32() << 32) | (u32() & 0xFFFFFFFFL);
    }
}
