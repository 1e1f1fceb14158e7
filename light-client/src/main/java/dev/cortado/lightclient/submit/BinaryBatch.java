package dev.cortado.lightclient.submit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v0/submit/binary}, big-endian:
 *
 * <pre>
 *   u8  version            = 1
 *   u32 count              1 .. MAX_TRANSACTIONS
 *   count times:
 *     u64 namespace
 *     u32 length           bytes that follow
 *     length bytes         the transaction
 * </pre>
 *
 * and nothing after the last transaction. The decoder is the node's first line against hostile
 * bodies: it checks every length against what is left before reading or allocating, and refuses
 * truncation, trailing bytes and counts the body cannot hold. Each encoding decodes to one list and
 * back to the same bytes.
 */
public final class BinaryBatch {
    public static final byte VERSION = 1;
    /** As for the JSON batch endpoint. */
    public static final int MAX_TRANSACTIONS = 10_000;
    /** Bytes of one entry besides its transaction: namespace and length. */
    public static final int ENTRY_OVERHEAD = 8 + 4;
    static final int HEADER = 1 + 4;

    private BinaryBatch() {}

    public static byte[] encode(List<Submission> txs) {
        if (txs.isEmpty() || txs.size() > MAX_TRANSACTIONS) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_TRANSACTIONS + " transactions, got " + txs.size());
        }
        long size = HEADER;
        for (Submission s : txs) {
            size += ENTRY_OVERHEAD + s.payload().length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch of " + size + " bytes is too large to send");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.put(VERSION).putInt(txs.size());
        for (Submission s : txs) {
            b.putLong(s.namespace()).putInt(s.payload().length).put(s.payload());
        }
        return b.array();
    }

    /** The transactions of {@code body}, in order; namespaces are returned as sent (the caller judges them). */
    public static List<Submission> decode(byte[] body) throws MalformedBatchException {
        if (body.length < HEADER) {
            throw new MalformedBatchException("body of " + body.length + " bytes is shorter than the " + HEADER
                    + "-byte header (version, count)");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        byte version = b.get();
        if (version != VERSION) {
            throw new MalformedBatchException("unknown version " + (version & 0xff) + "; this node reads version " + VERSION);
        }
        long count = Integer.toUnsignedLong(b.getInt());
        if (count < 1 || count > MAX_TRANSACTIONS) {
            throw new MalformedBatchException("count must be 1 to " + MAX_TRANSACTIONS + ", got " + count);
        }
        // Checked before allocating: a 5-byte body claiming 10,000 entries must not reserve room for them.
        if (count * ENTRY_OVERHEAD > b.remaining()) {
            throw new MalformedBatchException("count " + count + " needs at least " + count * ENTRY_OVERHEAD
                    + " bytes of entries, body has " + b.remaining());
        }
        List<Submission> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            if (b.remaining() < ENTRY_OVERHEAD) {
                throw new MalformedBatchException("truncated: entry " + i + " at offset " + b.position() + " needs "
                        + ENTRY_OVERHEAD + " bytes of namespace and length, " + b.remaining() + " left");
            }
            long namespace = b.getLong();
            long length = Integer.toUnsignedLong(b.getInt());
            if (length > b.remaining()) {
                throw new MalformedBatchException("truncated: entry " + i + " declares " + length + " bytes at offset "
                        + b.position() + ", " + b.remaining() + " left");
            }
            byte[] payload = new byte[(int) length];
            b.get(payload);
            out.add(new Submission(namespace, payload));
        }
        if (b.hasRemaining()) {
            throw new MalformedBatchException(b.remaining() + " trailing bytes after entry " + (count - 1) + " at offset "
                    + b.position());
        }
        return out;
    }
}
