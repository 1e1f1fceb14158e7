package dev.cortado.node.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** Storage encoding of {@link DecidedBlock}: u64 height, u64 view, three u32-length-prefixed parts, commitment. */
final class BlockCodec {
    private BlockCodec() {}

    static byte[] encode(DecidedBlock b) {
        ByteBuffer out = ByteBuffer.allocate(16 + 12 + b.header().length + b.leaf().length + b.qc().length + 32);
        out.putLong(b.height()).putLong(b.view());
        out.putInt(b.header().length).put(b.header());
        out.putInt(b.leaf().length).put(b.leaf());
        out.putInt(b.qc().length).put(b.qc());
        out.put(b.commitment());
        return out.array();
    }

    static DecidedBlock decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long height = in.getLong();
            long view = in.getLong();
            byte[] header = part(in);
            byte[] leaf = part(in);
            byte[] qc = part(in);
            byte[] commitment = new byte[32];
            in.get(commitment);
            if (in.hasRemaining()) {
                throw new StorageException("stored block " + height + " has " + in.remaining() + " trailing bytes");
            }
            return new DecidedBlock(height, view, header, leaf, qc, commitment);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new StorageException("corrupt stored block: " + e, e);
        }
    }

    private static byte[] part(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new StorageException("corrupt stored block: part length " + n);
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
