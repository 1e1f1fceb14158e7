package dev.cortado.node.net;

import java.io.ByteArrayOutputStream;

/** The writing side of {@link WireReader}: big-endian fixed-width integers and u32-prefixed bytes. */
public final class WireWriter {
    private final ByteArrayOutputStream out;

    public WireWriter(int sizeHint) {
        this.out = new ByteArrayOutputStream(sizeHint);
    }

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    public WireWriter fixed(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public WireWriter bytes(byte[] b) {
        i32(b.length);
        return fixed(b);
    }

    public WireWriter bool(boolean b) {
        return u8(b ? 1 : 0);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
