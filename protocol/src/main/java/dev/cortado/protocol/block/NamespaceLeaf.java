package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/** The data a namespace contributes to {@code payloadRoot}. */
public record NamespaceLeaf(NamespaceId namespace, Bytes32 txRoot, long txCount, long byteLength) {
    public NamespaceLeaf {
        if (namespace == null || txRoot == null) {
            throw new IllegalArgumentException("namespace and txRoot must not be null");
        }
        if (txCount < 0 || byteLength < 0) {
            throw new IllegalArgumentException("txCount and byteLength must be non-negative");
        }
    }

    public static NamespaceLeaf of(NamespaceId ns, List<Transaction> txs) {
        long bytes = 0;
        for (Transaction t : txs) {
            bytes += 4L + t.payloadLength();
        }
        return new NamespaceLeaf(ns, txRoot(txs), txs.size(), bytes);
    }

    /** Merkle root of the transaction hashes in submission order. */
    public static Bytes32 txRoot(List<Transaction> txs) {
        return MerkleTree.root(txs.stream().map(Transaction::hash).toList());
    }

    /** {@code keccak256(abi.encode(TAG_namespace, uint64 ns, txRoot, uint256 txCount, uint256 byteLength))}. */
    public Bytes32 hash() {
        return Abi.encoder().bytes32(DomainTags.NAMESPACE).uint64(namespace.value()).bytes32(txRoot)
                .uint256(txCount).uint256(byteLength).hash();
    }
}
