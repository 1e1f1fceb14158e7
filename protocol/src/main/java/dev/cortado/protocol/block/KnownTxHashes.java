package dev.cortado.protocol.block;

import dev.cortado.protocol.types.Bytes32;

/**
 * Hashes a node already computed for transactions it holds (its mempool), so that parsing a block of them
 * costs a lookup and a byte comparison per transaction instead of three Keccak permutations. An answer vouches
 * that the hash is {@link Transaction#hashOf} of exactly these bytes: give one only for bytes compared equal.
 */
@FunctionalInterface
public interface KnownTxHashes {
    KnownTxHashes NONE = (namespace, payload) -> null;

    /** The hash of the transaction {@code (namespace, payload)}, or null if it must be computed. */
    Bytes32 hashOf(long namespace, byte[] payload);
}
