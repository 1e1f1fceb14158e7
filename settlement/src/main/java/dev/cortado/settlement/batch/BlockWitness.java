package dev.cortado.settlement.batch;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.codec.BatchDecodeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a batch carries per height so that a reader with nothing but L1 can verify the block: the
 * header, its Merkle path to the {@code blockCommRoot} that LightClient.sol certified at
 * {@code anchorHeight}, the namespace table and, per posted namespace, its leaf's path to
 * {@code payloadRoot}. {@code scope} says which namespaces the batch posts, so a reader can tell an
 * omitted namespace from an absent one. Byte layout: docs/architecture.md, "Batch format".
 *
 * @param scopeNamespace {@link #ALL_NAMESPACES} or the one namespace the batch posts
 * @param nsPaths one sibling list per namespace entry of the block, in the entry's order
 */
public record BlockWitness(long scopeNamespace, long anchorHeight, BlockHeader header, List<Bytes32> headerSiblings,
        byte[] nsTable, List<List<Bytes32>> nsPaths) {
    public static final long ALL_NAMESPACES = -1;
    /** A Merkle path over at most 2^32 leaves never has more siblings than this. */
    static final int MAX_SIBLINGS = 32;
    static final int MAX_TABLE_BYTES = 4 + NamespaceTable.ENTRY_BYTES * NamespaceTable.MAX_ENTRIES;

    public BlockWitness {
        if (scopeNamespace < ALL_NAMESPACES) throw new IllegalArgumentException("scope " + scopeNamespace);
        headerSiblings = List.copyOf(headerSiblings);
        nsTable = nsTable.clone();
        nsPaths = nsPaths.stream().map(List::copyOf).toList();
        if (headerSiblings.size() > MAX_SIBLINGS || nsPaths.stream().anyMatch(p -> p.size() > MAX_SIBLINGS)) {
            throw new IllegalArgumentException("a path has more than " + MAX_SIBLINGS + " siblings");
        }
        if (nsTable.length > MAX_TABLE_BYTES || nsPaths.size() > NamespaceTable.MAX_ENTRIES) {
            throw new IllegalArgumentException("namespace table of " + nsTable.length + " bytes or " + nsPaths.size()
                    + " paths is over the limit");
        }
    }

    @Override
    public byte[] nsTable() {
        return nsTable.clone();
    }

    public byte[] encode() {
        int size = 8 + 8 + BlockHeader.WIRE_BYTES + 1 + 32 * headerSiblings.size() + 4 + nsTable.length + 2;
        for (List<Bytes32> p : nsPaths) size += 1 + 32 * p.size();
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(scopeNamespace).putLong(anchorHeight).put(header.encode());
        putPath(out, headerSiblings);
        out.putInt(nsTable.length).put(nsTable);
        out.putShort((short) nsPaths.size());
        for (List<Bytes32> p : nsPaths) putPath(out, p);
        return out.array();
    }

    private static void putPath(ByteBuffer out, List<Bytes32> siblings) {
        out.put((byte) siblings.size());
        for (Bytes32 s : siblings) out.put(s.bytes());
    }

    /** Parses a witness; every count is checked against its bound and the bytes that remain. */
    public static BlockWitness decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        need(in, 16 + BlockHeader.WIRE_BYTES, "scope, anchor and header");
        long scope = in.getLong();
        long anchor = in.getLong();
        if (scope < ALL_NAMESPACES || anchor < 0) {
            throw new BatchDecodeException("witness scope " + scope + " or anchor " + anchor + " is invalid");
        }
        byte[] headerBytes = new byte[BlockHeader.WIRE_BYTES];
        in.get(headerBytes);
        BlockHeader header;
        try {
            header = BlockHeader.decode(headerBytes);
        } catch (RuntimeException e) {
            throw new BatchDecodeException("witness header: " + e.getMessage());
        }
        List<Bytes32> headerPath = path(in, "header path");
        need(in, 4, "table length");
        int tableLen = in.getInt();
        if (tableLen < 0 || tableLen > MAX_TABLE_BYTES) {
            throw new BatchDecodeException("namespace table of " + tableLen + " bytes, the limit is " + MAX_TABLE_BYTES);
        }
        need(in, tableLen, "namespace table");
        byte[] table = new byte[tableLen];
        in.get(table);
        need(in, 2, "path count");
        int paths = in.getShort() & 0xFFFF;
        if (paths > NamespaceTable.MAX_ENTRIES) {
            throw new BatchDecodeException(paths + " namespace paths, the limit is " + NamespaceTable.MAX_ENTRIES);
        }
        List<List<Bytes32>> nsPaths = new ArrayList<>(Math.min(paths, in.remaining()));
        for (int i = 0; i < paths; i++) nsPaths.add(path(in, "namespace path " + i));
        if (in.hasRemaining()) throw new BatchDecodeException("witness has " + in.remaining() + " trailing bytes");
        return new BlockWitness(scope, anchor, header, headerPath, table, nsPaths);
    }

    private static List<Bytes32> path(ByteBuffer in, String what) {
        need(in, 1, what);
        int n = in.get() & 0xFF;
        if (n > MAX_SIBLINGS) throw new BatchDecodeException(what + " has " + n + " siblings, the limit is " + MAX_SIBLINGS);
        need(in, 32 * n, what);
        List<Bytes32> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[32];
            in.get(s);
            out.add(Bytes32.of(s));
        }
        return out;
    }

    private static void need(ByteBuffer in, int n, String what) {
        if (in.remaining() < n) {
            throw new BatchDecodeException("witness ends inside the " + what + " (" + in.remaining() + " of " + n + " bytes)");
        }
    }
}
