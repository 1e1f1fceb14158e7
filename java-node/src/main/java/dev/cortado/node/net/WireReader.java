package dev.cortado.node.net;

import java.nio.ByteBuffer;

/**
 * Bounded reading of an application message: every read checks what is left, every length is
 * checked against both the remaining bytes and a caller's limit, and {@link #finish} rejects
 * trailing bytes. All failures are {@link WireFormatException}.
 */
public final class WireReader {
    private final ByteBuffer in;

    public WireReader(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    private void need(int n, String what) {
        if (n < 0 || in.remaining() < n) {
            throw new WireFormatException("truncated " + what + ": need " + n + " bytes, have " + in.remaining());
        }
    }

    public int u8(String what) {
        need(1, what);
        return in.get() & 0xff;
    }

    public int u16(String what) {
        need(2, what);
        return in.getShort() & 0xffff;
    }

    public int i32(String what) {
        need(4, what);
        return in.getInt();
    }

    /** A non-negative int no larger than {@code max}. */
    public int count(String what, int max) {
        int n = i32(what);
        if (n < 0 || n > max) {
            throw new WireFormatException(what + " " + n + " outside 0.." + max);
        }
        return n;
    }

    public long i64(String what) {
        need(8, what);
        return in.getLong();
    }

    /** A long that must be non-negative (heights, views, namespaces). */
    public long u63(String what) {
        long v = i64(what);
        if (v < 0) {
            throw new WireFormatException(what + " is negative: " + v);
        }
        return v;
    }

    public byte[] fixed(int n, String what) {
        need(n, what);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** A u32-length-prefixed byte string of at most {@code max} bytes. */
    public byte[] bytes(String what, int max) {
        int n = count(what + " length", max);
        return fixed(n, what);
    }

    public boolean bool(String what) {
        int b = u8(what);
        if (b > 1) {
            throw new WireFormatException(what + " must be 0 or 1, got " + b);
        }
        return b == 1;
    }

    public int remaining() {
        return in.remaining();
    }

    public void finish(String what) {
        if (in.hasRemaining()) {
            throw new WireFormatException(in.remaining() + " trailing bytes after " + what);
        }
    }
}
