package dev.cortado.settlement.batch.codec;

import java.util.Arrays;

/** A growable byte buffer with the varint forms the codecs write. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    void put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void put(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    void put(byte[] src) {
        put(src, 0, src.length);
    }

    /** The bytes {@link #putVarint} writes for {@code value}. */
    static int varintLength(long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    /** Unsigned LEB128. */
    void putVarint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zig-zag then LEB128, so small negative deltas stay short. */
    void putSignedVarint(long value) {
        putVarint((value << 1) ^ (value >> 63));
    }

    void putU32(int value) {
        ensure(4);
        buf[size++] = (byte) (value >>> 24);
        buf[size++] = (byte) (value >>> 16);
        buf[size++] = (byte) (value >>> 8);
        buf[size++] = (byte) value;
    }

    void putU64(long value) {
        putU32((int) (value >>> 32));
        putU32((int) value);
    }

    byte[] array() {
        return buf;
    }

    /** The bytes written; no copy when the buffer is exactly full (a later write reallocates first). */
    byte[] toArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
