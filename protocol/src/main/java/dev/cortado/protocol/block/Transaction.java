package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;

/** A rollup transaction: opaque bytes in a namespace. */
public record Transaction(NamespaceId namespace, byte[] payload) {
    /** A transaction must fit in a block body next to its 4-byte length prefix. */
    public static final int MAX_PAYLOAD_BYTES = BlockPayload.MAX_PAYLOAD_BYTES - 4;

    public Transaction {
        if (namespace == null || payload == null) {
            throw new IllegalArgumentException("transaction namespace and payload must not be null");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("transaction of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    void copyPayloadTo(byte[] dest, int offset) {
        System.arraycopy(payload, 0, dest, offset, payload.length);
    }

    /** {@code keccak256(abi.encode(TAG_tx, uint64 namespace, keccak256(payload)))}. */
    public Bytes32 hash() {
        return Abi.encoder().bytes32(DomainTags.TX).uint64(namespace.value()).bytes32(Keccak.hash(payload)).hash();
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
