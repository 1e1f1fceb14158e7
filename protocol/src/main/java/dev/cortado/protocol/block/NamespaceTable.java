package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The namespace table: namespaces in strictly ascending id, each with the end offset of its body in
 * the payload. Bytes: {@code uint32 count}, then per entry {@code uint64 id ‖ uint32 endOffset}, all
 * big-endian. End offsets strictly increase (every body holds at least one length-prefixed
 * transaction), so entry {@code i}'s body is {@code [end(i-1), end(i))} with {@code end(-1) = 0}.
 */
public record NamespaceTable(List<Entry> entries) {
    /** Bounds the table, and with it every namespace proof, which carries the whole table. */
    public static final int MAX_ENTRIES = 4096;
    public static final int ENTRY_BYTES = 12;

    public record Entry(NamespaceId namespace, int endOffset) {
        public Entry {
            if (namespace == null) {
                throw new IllegalArgumentException("namespace must not be null");
            }
        }
    }

    public static final NamespaceTable EMPTY = new NamespaceTable(List.of());

    public NamespaceTable {
        entries = List.copyOf(entries);
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("namespace table has " + entries.size() + " entries, at most " + MAX_ENTRIES);
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int prevEnd = i == 0 ? 0 : entries.get(i - 1).endOffset();
            if (i > 0 && e.namespace().compareTo(entries.get(i - 1).namespace()) <= 0) {
                throw new IllegalArgumentException("namespace ids must strictly ascend: " + entries.get(i - 1).namespace()
                        + " then " + e.namespace());
            }
            if (e.endOffset() <= prevEnd) {
                throw new IllegalArgumentException("end offset of " + e.namespace() + " (" + e.endOffset()
                        + ") must exceed the previous end " + prevEnd);
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** Total body bytes the table describes: the payload length. */
    public int payloadBytes() {
        return entries.isEmpty() ? 0 : entries.getLast().endOffset();
    }

    public NamespaceId namespace(int index) {
        return entries.get(index).namespace();
    }

    public int startOffset(int index) {
        return index == 0 ? 0 : entries.get(index - 1).endOffset();
    }

    public int endOffset(int index) {
        return entries.get(index).endOffset();
    }

    /** Position of {@code ns} in the table, if present. */
    public Optional<Integer> indexOf(NamespaceId ns) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = entries.get(mid).namespace().compareTo(ns);
            if (c == 0) {
                return Optional.of(mid);
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }

    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(4 + ENTRY_BYTES * entries.size());
        buf.putInt(entries.size());
        for (Entry e : entries) {
            buf.putLong(e.namespace().value());
            buf.putInt(e.endOffset());
        }
        return buf.array();
    }

    /** {@code nsTableComm = keccak256(table bytes)}. */
    public Bytes32 commitment() {
        return Keccak.hash(encode());
    }

    /** Bounded decoding: rejects a short, long, oversized or unordered table. */
    public static NamespaceTable decode(byte[] bytes) {
        if (bytes == null || bytes.length < 4) {
            throw new IllegalArgumentException("namespace table needs at least 4 bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int count = buf.getInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IllegalArgumentException("namespace table count " + Integer.toUnsignedString(count)
                    + " outside 0.." + MAX_ENTRIES);
        }
        if (bytes.length != 4 + (long) ENTRY_BYTES * count) {
            throw new IllegalArgumentException("namespace table of " + count + " entries must have "
                    + (4 + ENTRY_BYTES * count) + " bytes, got " + bytes.length);
        }
        Entry[] entries = new Entry[count];
        for (int i = 0; i < count; i++) {
            long id = buf.getLong();
            int end = buf.getInt();
            if (end < 0) {
                throw new IllegalArgumentException("end offset " + Integer.toUnsignedString(end) + " out of range");
            }
            entries[i] = new Entry(new NamespaceId(id), end);
        }
        return new NamespaceTable(List.of(entries));
    }
}
