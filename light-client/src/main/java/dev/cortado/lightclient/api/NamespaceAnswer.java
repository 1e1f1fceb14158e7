package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Hex;
import java.util.List;

/**
 * {@code GET /v0/block/{height}/namespace/{namespace}}: the namespace's transactions (hex, in block
 * order), the block's namespace table (hex) and the namespace leaf's path to {@code payloadRoot}
 * ({@code null} when the table has no such namespace).
 */
public record NamespaceAnswer(long height, long namespace, String nsTable, List<String> transactions,
        MerkleProofJson nsPath) {

    public static NamespaceAnswer of(long height, NamespaceProof proof) {
        return new NamespaceAnswer(height, proof.namespace().value(), Hex.encode(proof.nsTable()),
                proof.transactions().stream().map(t -> Hex.encode(t.payload())).toList(), MerkleProofJson.of(proof.nsPath()));
    }

    public NamespaceProof toProof() {
        NamespaceId ns = new NamespaceId(namespace);
        List<Transaction> txs = Json.required(transactions, "transactions").stream()
                .map(h -> new Transaction(ns, Json.bytes(h, "transactions"))).toList();
        return new NamespaceProof(ns, Json.bytes(nsTable, "nsTable"), txs, nsPath == null ? null : nsPath.toProof());
    }
}
