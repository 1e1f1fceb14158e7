package dev.cortado.protocol.block;

import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A block's transactions: the namespace table plus the payload bytes, the namespaces' bodies back to
 * back in table order. A body is its transactions in submission order, each a 4-byte big-endian
 * length followed by the bytes. Immutable.
 */
public final class BlockPayload {
    /** Largest payload (bodies only) a block may carry; also bounds decoding. */
    public static final int MAX_PAYLOAD_BYTES = 64 << 20;

    public static final BlockPayload EMPTY = build(List.of());

    private final NamespaceTable table;
    private final byte[] bytes;
    private final List<List<Transaction>> bodies;
    private final List<NamespaceLeaf> leaves;
    private final List<Bytes32> leafHashes;
    private final Bytes32 payloadRoot;

    private BlockPayload(NamespaceTable table, byte[] bytes, List<List<Transaction>> bodies) {
        this.table = table;
        this.bytes = bytes;
        this.bodies = bodies;
        List<NamespaceLeaf> ls = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            ls.add(NamespaceLeaf.of(table.namespace(i), bodies.get(i)));
        }
        this.leaves = List.copyOf(ls);
        this.leafHashes = leaves.stream().map(NamespaceLeaf::hash).toList();
        this.payloadRoot = MerkleTree.root(leafHashes);
    }

    /** Groups transactions by namespace in ascending id, keeping submission order within each. */
    public static BlockPayload build(List<Transaction> transactions) {
        Map<NamespaceId, List<Transaction>> byNs = new TreeMap<>();
        long total = 0;
        for (Transaction t : transactions) {
            byNs.computeIfAbsent(t.namespace(), x -> new ArrayList<>()).add(t);
            total += 4L + t.payloadLength();
            if (total > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("transactions exceed the payload limit of " + MAX_PAYLOAD_BYTES + " bytes");
            }
        }
        if (byNs.size() > NamespaceTable.MAX_ENTRIES) {
            throw new IllegalArgumentException(byNs.size() + " namespaces exceed the limit of " + NamespaceTable.MAX_ENTRIES);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total);
        List<NamespaceTable.Entry> entries = new ArrayList<>(byNs.size());
        List<List<Transaction>> bodies = new ArrayList<>(byNs.size());
        for (var e : byNs.entrySet()) {
            for (Transaction t : e.getValue()) {
                buf.putInt(t.payloadLength());
                t.copyPayloadTo(buf.array(), buf.position());
                buf.position(buf.position() + t.payloadLength());
            }
            entries.add(new NamespaceTable.Entry(e.getKey(), buf.position()));
            bodies.add(List.copyOf(e.getValue()));
        }
        return new BlockPayload(new NamespaceTable(entries), buf.array(), List.copyOf(bodies));
    }

    public static BlockPayload parse(byte[] nsTable, byte[] payload) {
        return parse(NamespaceTable.decode(nsTable), payload);
    }

    /** Bounded parse: every body must split exactly into length-prefixed transactions. */
    public static BlockPayload parse(NamespaceTable table, byte[] payload) {
        return parse(table, payload, KnownTxHashes.NONE);
    }

    /** As {@link #parse(NamespaceTable, byte[])}, taking the hashes of transactions {@code known} holds from it. */
    public static BlockPayload parse(NamespaceTable table, byte[] payload, KnownTxHashes known) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        if (table.payloadBytes() != payload.length) {
            throw new IllegalArgumentException("namespace table describes " + table.payloadBytes()
                    + " payload bytes, payload has " + payload.length);
        }
        List<List<Transaction>> bodies = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            bodies.add(parseBody(table.namespace(i), payload, table.startOffset(i), table.endOffset(i), known));
        }
        return new BlockPayload(table, payload.clone(), List.copyOf(bodies));
    }

    private static List<Transaction> parseBody(NamespaceId ns, byte[] payload, int start, int end, KnownTxHashes known) {
        List<Transaction> txs = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            if (end - pos < 4) {
                throw new IllegalArgumentException("body of " + ns + " ends inside a length prefix at offset " + pos);
            }
            int len = ByteBuffer.wrap(payload, pos, 4).getInt();
            pos += 4;
            if (len < 0 || len > end - pos) {
                throw new IllegalArgumentException("transaction at offset " + (pos - 4) + " in " + ns + " claims "
                        + Integer.toUnsignedString(len) + " bytes, the body has " + (end - pos) + " left");
            }
            byte[] tx = new byte[len];
            System.arraycopy(payload, pos, tx, 0, len);
            txs.add(Transaction.adopt(ns, tx, known.hashOf(ns.value(), tx)));
            pos += len;
        }
        return List.copyOf(txs);
    }

    public NamespaceTable namespaceTable() {
        return table;
    }

    public byte[] nsTableBytes() {
        return table.encode();
    }

    public Bytes32 nsTableComm() {
        return table.commitment();
    }

    /** The payload bytes (bodies only): what VID disperses and {@code payloadBytes} counts. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int byteLength() {
        return bytes.length;
    }

    public Bytes32 payloadRoot() {
        return payloadRoot;
    }

    public List<NamespaceId> namespaces() {
        return table.entries().stream().map(NamespaceTable.Entry::namespace).toList();
    }

    /** The namespace's transactions in submission order; empty if the block has none. */
    public List<Transaction> transactions(NamespaceId ns) {
        return table.indexOf(ns).map(bodies::get).orElse(List.of());
    }

    public List<Transaction> allTransactions() {
        List<Transaction> all = new ArrayList<>();
        bodies.forEach(all::addAll);
        return Collections.unmodifiableList(all);
    }

    public Optional<NamespaceLeaf> namespaceLeaf(NamespaceId ns) {
        return table.indexOf(ns).map(leaves::get);
    }

    public record TxLocation(NamespaceId namespace, int index) {
    }

    /** Where the transaction with this hash sits, if the block holds it. */
    public Optional<TxLocation> locate(Bytes32 txHash) {
        for (int i = 0; i < bodies.size(); i++) {
            List<Transaction> body = bodies.get(i);
            for (int j = 0; j < body.size(); j++) {
                if (body.get(j).hash().equals(txHash)) {
                    return Optional.of(new TxLocation(table.namespace(i), j));
                }
            }
        }
        return Optional.empty();
    }

    /** Every transaction hash of the block, mapped to its location (for indexing by hash). */
    public Map<Bytes32, TxLocation> transactionIndex() {
        Map<Bytes32, TxLocation> index = new LinkedHashMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            List<Transaction> body = bodies.get(i);
            for (int j = 0; j < body.size(); j++) {
                index.putIfAbsent(body.get(j).hash(), new TxLocation(table.namespace(i), j));
            }
        }
        return index;
    }

    /** The namespace's transactions with their proof; for an absent namespace, a proof of absence. */
    public NamespaceProof namespaceProof(NamespaceId ns) {
        Optional<Integer> idx = table.indexOf(ns);
        if (idx.isEmpty()) {
            return new NamespaceProof(ns, table.encode(), List.of(), null);
        }
        int i = idx.get();
        return new NamespaceProof(ns, table.encode(), bodies.get(i), MerkleTree.proof(leafHashes, i));
    }

    public TransactionProof transactionProof(NamespaceId ns, int index) {
        int i = table.indexOf(ns).orElseThrow(() -> new IllegalArgumentException("block has no namespace " + ns));
        List<Transaction> body = bodies.get(i);
        if (index < 0 || index >= body.size()) {
            throw new IllegalArgumentException(ns + " has " + body.size() + " transactions, no index " + index);
        }
        MerkleProof txPath = MerkleTree.proof(body.stream().map(Transaction::hash).toList(), index);
        return new TransactionProof(body.get(index), index, txPath, leaves.get(i), table.encode(),
                MerkleTree.proof(leafHashes, i));
    }
}
