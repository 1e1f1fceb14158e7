package dev.cortado.lightclient.api;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.block.TransactionProof;
import dev.cortado.protocol.types.Hex;

/**
 * {@code GET /v0/tx/{hash}}: where a decided transaction is and its proof: its path to the namespace's
 * {@code txRoot}, the namespace leaf, the namespace table and the leaf's path to {@code payloadRoot}; and its
 * {@code confirmation} level. A transaction that is only pre-confirmed (in a pooled bundle, not decided) is
 * answered with {@code height} and {@code index} -1, the proof fields null and {@code confirmation.level}
 * {@code pre_confirmed}.
 */
public record TransactionAnswer(long height, long namespace, int index, String hash, String transaction,
        MerkleProofJson txPath, NamespaceLeafJson namespaceLeaf, String nsTable, MerkleProofJson nsPath,
        ConfirmationJson confirmation) {

    /** A decided transaction: HotShot-final at {@code height} in {@code view}. */
    public static TransactionAnswer of(long height, long view, TransactionProof p) {
        Transaction t = p.transaction();
        return new TransactionAnswer(height, t.namespace().value(), p.index(), t.hash().toHex(), Hex.encode(t.payload()),
                MerkleProofJson.of(p.txPath()), NamespaceLeafJson.of(p.namespaceLeaf()), Hex.encode(p.nsTable()),
                MerkleProofJson.of(p.nsPath()), ConfirmationJson.hotShotFinal(height, view));
    }

    /** A transaction not decided yet but held in a pooled bundle. */
    public static TransactionAnswer preConfirmed(Transaction t, ConfirmationJson.PreConfirmedJson bundle) {
        return new TransactionAnswer(-1, t.namespace().value(), -1, t.hash().toHex(), Hex.encode(t.payload()), null, null, null,
                null, ConfirmationJson.preConfirmed(bundle));
    }

    /** Whether this answer is of a decided transaction (it then carries a proof). */
    public boolean decided() {
        return height >= 0;
    }

    public TransactionAnswer withConfirmation(ConfirmationJson c) {
        return new TransactionAnswer(height, namespace, index, hash, transaction, txPath, namespaceLeaf, nsTable, nsPath, c);
    }

    public TransactionProof toProof() {
        NamespaceId ns = new NamespaceId(namespace);
        return new TransactionProof(new Transaction(ns, Json.bytes(transaction, "transaction")), index,
                Json.required(txPath, "txPath").toProof(), Json.required(namespaceLeaf, "namespaceLeaf").toLeaf(ns),
                Json.bytes(nsTable, "nsTable"), Json.required(nsPath, "nsPath").toProof());
    }
}
