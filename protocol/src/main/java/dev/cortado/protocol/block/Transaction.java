package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;

/**
 * A rollup transaction: opaque bytes in a namespace. Immutable; its hash is computed at most once (a node
 * needs it for the mempool, the block's txRoot, the decided index and proofs, and each costs three Keccak
 * permutations for a 200-byte transaction).
 */
public final class Transaction {
    /** A transaction must fit in a block body next to its 4-byte length prefix. */
    public static final int MAX_PAYLOAD_BYTES = BlockPayload.MAX_PAYLOAD_BYTES - 4;

    private final NamespaceId namespace;
    private final byte[] payload;
    // Racy single-check memo: Bytes32 is immutable with final fields, so a thread sees null or a whole hash.
    private Bytes32 hash;

    public Transaction(NamespaceId namespace, byte[] payload) {
        this(namespace, checked(namespace, payload).clone(), null);
    }

    private Transaction(NamespaceId namespace, byte[] owned, Bytes32 hash) {
        this.namespace = namespace;
        this.payload = owned;
        this.hash = hash;
    }

    private static byte[] checked(NamespaceId namespace, byte[] payload) {
        if (namespace == null || payload == null) {
            throw new IllegalArgumentException("transaction namespace and payload must not be null");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("transaction of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        return payload;
    }

    /**
     * Takes ownership of {@code owned} without copying it (the payload parser hands over a fresh array) and, when
     * the caller already knows it, the hash of exactly these bytes in this namespace.
     */
    static Transaction adopt(NamespaceId namespace, byte[] owned, Bytes32 knownHash) {
        return new Transaction(namespace, checked(namespace, owned), knownHash);
    }

    /**
     * A copy of {@code payload} with the hash its caller already computed from exactly these bytes (a leader's
     * mempool entry), so building a block does not hash it again. Whoever passes the hash vouches for it, as with
     * {@link KnownTxHashes}: a wrong one yields roots no honest node reproduces.
     */
    public static Transaction withKnownHash(NamespaceId namespace, byte[] payload, Bytes32 hash) {
        if (hash == null) {
            throw new IllegalArgumentException("a known hash must not be null");
        }
        return new Transaction(namespace, checked(namespace, payload).clone(), hash);
    }

    /** {@code keccak256(abi.encode(TAG_tx, uint64 namespace, keccak256(payload)))} of these bytes. */
    public static Bytes32 hashOf(long namespace, byte[] payload) {
        return Abi.encoder().bytes32(DomainTags.TX).uint64(namespace).bytes32(Keccak.hash(payload)).hash();
    }

    public NamespaceId namespace() {
        return namespace;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    void copyPayloadTo(byte[] dest, int offset) {
        System.arraycopy(payload, 0, dest, offset, payload.length);
    }

    /** Puts the payload into {@code dest} at its position, without the copy {@link #payload()} makes. */
    public void copyPayloadTo(java.nio.ByteBuffer dest) {
        dest.put(payload);
    }

    /** Whether this transaction is {@code namespace} and exactly {@code bytes}. */
    public boolean sameAs(long namespace, byte[] bytes) {
        return this.namespace.value() == namespace && Arrays.equals(payload, bytes);
    }

    /** {@code keccak256(abi.encode(TAG_tx, uint64 namespace, keccak256(payload)))}. */
    public Bytes32 hash() {
        Bytes32 h = hash;
        if (h == null) {
            h = hashOf(namespace.value(), payload);
            hash = h;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && namespace.equals(t.namespace) && Arrays.equals(payload, t.payload);
    }

    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Transaction[" + namespace + ", " + payload.length + " bytes]";
    }
}
