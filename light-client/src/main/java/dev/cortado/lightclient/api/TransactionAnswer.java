package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.block.TransactionProof;
import dev.cortado.protocol.types.Hex;

/**
 * {@code GET /v0/tx/{hash}}: where a decided transaction is and its proof: its path to the namespace's
 * {@code txRoot}, the namespace leaf, the namespace table and the leaf's path to {@code payloadRoot}.
 */
public record TransactionAnswer(long height, long namespace, int index, String hash, String transaction,
        MerkleProofJson txPath, NamespaceLeafJson namespaceLeaf, String nsTable, MerkleProofJson nsPath) {

    public static TransactionAnswer of(long height, TransactionProof p) {
        Transaction t = p.transaction();
        return new TransactionAnswer(height, t.namespace().value(), p.index(), t.hash().toHex(), Hex.encode(t.payload()),
                MerkleProofJson.of(p.txPath()), NamespaceLeafJson.of(p.namespaceLeaf()), Hex.encode(p.nsTable()),
                MerkleProofJson.of(p.nsPath()));
    }

    public TransactionProof toProof() {
        NamespaceId ns = new NamespaceId(namespace);
        return new TransactionProof(new Transaction(ns, Json.bytes(transaction, "transaction")), index,
                Json.required(txPath, "txPath").toProof(), Json.required(namespaceLeaf, "namespaceLeaf").toLeaf(ns),
                Json.bytes(nsTable, "nsTable"), Json.required(nsPath, "nsPath").toProof());
    }
}
