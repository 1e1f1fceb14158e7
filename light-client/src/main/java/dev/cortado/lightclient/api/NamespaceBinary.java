package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v0/block/{height}/namespace/{namespace}} with {@code Accept: application/octet-stream}: the same
 * answer as {@link NamespaceAnswer}, big-endian and without hex, so a follower reading every block of a busy
 * namespace moves half the bytes and parses no JSON:
 *
 * <pre>
 *   u8  version        = 1
 *   u64 height
 *   u64 namespace
 *   u32 nsTableLength, then that many bytes of namespace table
 *   u32 count          transactions, in block order
 *   count times: u32 length, then that many bytes
 *   u8  hasPath        0 or 1 (0 exactly when the table lacks the namespace)
 *   if 1: u32 index, u32 leafCount, u8 siblings, then 32 bytes per sibling (leaf upward)
 * </pre>
 *
 * and nothing after. The answer comes from a node, which a reader must not trust: the decoder checks every
 * length against what is left before it allocates, and refuses truncation and trailing bytes. What it returns
 * is unverified, as from JSON; {@link NamespaceProof#verify} checks it against a header.
 */
public final class NamespaceBinary {
    public static final String MEDIA_TYPE = "application/octet-stream";
    public static final byte VERSION = 1;
    /** A Merkle path over at most 2^32 leaves; anything longer is malformed, not merely large. */
    static final int MAX_SIBLINGS = 32;
    private static final int HEADER = 1 + 8 + 8 + 4;

    private NamespaceBinary() {}

    public static byte[] encode(long height, NamespaceProof proof) {
        byte[] table = proof.nsTable();
        MerkleProof path = proof.nsPath();
        long size = HEADER + table.length + 4 + 1;
        for (Transaction t : proof.transactions()) {
            size += 4 + t.payloadLength();
        }
        if (path != null) {
            size += 4 + 4 + 1 + (long) Bytes32.LENGTH * path.siblings().size();
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("namespace answer of " + size + " bytes is too large to encode");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.put(VERSION).putLong(height).putLong(proof.namespace().value()).putInt(table.length).put(table);
        b.putInt(proof.transactions().size());
        for (Transaction t : proof.transactions()) {
            b.putInt(t.payloadLength());
            t.copyPayloadTo(b);
        }
        if (path == null) {
            b.put((byte) 0);
        } else {
            b.put((byte) 1).putInt(path.index()).putInt(path.leafCount()).put((byte) path.siblings().size());
            for (Bytes32 s : path.siblings()) {
                b.put(s.bytes());
            }
        }
        return b.array();
    }

    /**
     * The answer in {@code body}; {@code height} and the namespace are returned as the node sent them, for the
     * caller to compare with what it asked.
     *
     * @throws IllegalArgumentException naming the offset and the field that is malformed
     */
    public static Decoded decode(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        need(b, HEADER, "the header (version, height, namespace, table length)");
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown namespace answer version " + (version & 0xff) + "; this reader knows "
                    + VERSION);
        }
        long height = b.getLong();
        long namespace = b.getLong();
        if (height < 0 || namespace < 0) {
            throw new IllegalArgumentException("height and namespace must be in 0..2^63-1, got "
                    + Long.toUnsignedString(height) + " and " + Long.toUnsignedString(namespace));
        }
        byte[] table = new byte[length(b, "namespace table")];
        b.get(table);
        need(b, 4, "the transaction count");
        long count = Integer.toUnsignedLong(b.getInt());
        // Each transaction needs at least its 4-byte length: a short body claiming 2^32 transactions is refused here.
        need(b, count * 4, "count " + count + " (a 4-byte length each)");
        NamespaceId ns = new NamespaceId(namespace);
        List<Transaction> txs = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[length(b, "transaction " + i)];
            b.get(payload);
            txs.add(new Transaction(ns, payload));
        }
        need(b, 1, "the path flag");
        byte hasPath = b.get();
        MerkleProof path = switch (hasPath) {
            case 0 -> null;
            case 1 -> path(b);
            default -> throw new IllegalArgumentException("path flag must be 0 or 1, got " + (hasPath & 0xff));
        };
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " trailing bytes at offset " + b.position());
        }
        return new Decoded(height, new NamespaceProof(ns, table, txs, path));
    }

    /** A decoded answer: the height the node says it is for, and the proof. */
    public record Decoded(long height, NamespaceProof proof) {}

    private static MerkleProof path(ByteBuffer b) {
        need(b, 4 + 4 + 1, "the path's index, leaf count and sibling count");
        int index = b.getInt();
        int leafCount = b.getInt();
        int siblings = b.get() & 0xff;
        if (siblings > MAX_SIBLINGS) {
            throw new IllegalArgumentException("a path has at most " + MAX_SIBLINGS + " siblings, got " + siblings);
        }
        need(b, (long) Bytes32.LENGTH * siblings, siblings + " siblings");
        List<Bytes32> list = new ArrayList<>(siblings);
        for (int i = 0; i < siblings; i++) {
            byte[] s = new byte[Bytes32.LENGTH];
            b.get(s);
            list.add(Bytes32.of(s));
        }
        // The record checks index, leaf count and depth agree; its message names the mismatch.
        return new MerkleProof(index, leafCount, list);
    }

    private static int length(ByteBuffer b, String what) {
        need(b, 4, "the length of " + what);
        long length = Integer.toUnsignedLong(b.getInt());
        need(b, length, what + " (" + length + " bytes)");
        return (int) length;
    }

    private static void need(ByteBuffer b, long bytes, String what) {
        if (bytes > b.remaining()) {
            throw new IllegalArgumentException("truncated at offset " + b.position() + ": " + what + " needs " + bytes
                    + " bytes, " + b.remaining() + " left");
        }
    }
}
