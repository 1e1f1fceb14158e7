package dev.cortado.node.mempool;

import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Which transaction hashes are already in a decided block: the store's exactly-once index. A batch is asked in
 * one call, so the store can answer it with one RocksDB {@code multiGet} rather than a read per transaction.
 */
@FunctionalInterface
public interface DecidedIndex {
    boolean contains(Bytes32 hash);

    /** One answer per hash, in order. */
    default boolean[] containsAll(List<Bytes32> hashes) {
        boolean[] out = new boolean[hashes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = contains(hashes.get(i));
        }
        return out;
    }
}
