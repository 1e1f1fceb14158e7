package dev.cortado.node.mempool;

import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;

/**
 * A transaction waiting for a block.
 *
 * <p>Submit-to-decide latency is timed by the API backend for the transactions it accepted, not here.
 *
 * @param hash {@code keccak256(abi.encode(TAG_tx, uint64 namespace, keccak256(payload)))}
 */
public record PendingTx(long namespace, byte[] payload, Bytes32 hash) {
    public static PendingTx of(long namespace, byte[] payload) {
        return new PendingTx(namespace, payload, hash(namespace, payload));
    }

    public static Bytes32 hash(long namespace, byte[] payload) {
        return Transaction.hashOf(namespace, payload);
    }

    /** Bytes this transaction takes in a block body: a 4-byte length prefix and the payload. */
    public int blockBytes() {
        return 4 + payload.length;
    }
}
