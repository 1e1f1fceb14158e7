package dev.cortado.node.runtime;

import dev.cortado.node.mempool.DecidedIndex;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/** The mempool's view of the store's exactly-once index: a batch is one batched RocksDB read. */
record StoreDecidedIndex(NodeStore store) implements DecidedIndex {
    @Override
    public boolean contains(Bytes32 hash) {
        return store.txLocation(hash.bytes()).isPresent();
    }

    @Override
    public boolean[] containsAll(List<Bytes32> hashes) {
        return store.txIndexed(hashes.stream().map(Bytes32::bytes).toList());
    }
}
