package dev.cortado.protocol.block;

import dev.cortado.protocol.merkle.MerkleProof;

/**
 * One transaction, its position in its namespace, its path to the namespace's {@code txRoot}, and the
 * namespace leaf with the table and the leaf's path to {@code payloadRoot}.
 */
public record TransactionProof(Transaction transaction, int index, MerkleProof txPath, NamespaceLeaf namespaceLeaf,
        byte[] nsTable, MerkleProof nsPath) {

    public TransactionProof {
        if (transaction == null || txPath == null || namespaceLeaf == null || nsTable == null || nsPath == null) {
            throw new IllegalArgumentException("transaction proof fields must not be null");
        }
        nsTable = nsTable.clone();
    }

    @Override
    public byte[] nsTable() {
        return nsTable.clone();
    }

    /**
     * Checks the proof against {@code header} and returns the transaction.
     *
     * @throws ProofVerificationException naming the first check that failed
     */
    public Transaction verify(BlockHeader header) {
        NamespaceTable table = NamespaceProof.checkTable(nsTable, header);
        NamespaceId ns = transaction.namespace();
        if (!namespaceLeaf.namespace().equals(ns)) {
            throw new ProofVerificationException("transaction of " + ns + " comes with the leaf of " + namespaceLeaf.namespace());
        }
        int i = table.indexOf(ns).orElseThrow(() ->
                new ProofVerificationException("the namespace table at height " + header.height().value() + " has no " + ns));
        NamespaceProof.checkLeafAgainstTable(namespaceLeaf, table, i, nsPath, header);
        if (txPath.index() != index || txPath.leafCount() != namespaceLeaf.txCount()) {
            throw new ProofVerificationException("transaction path is for " + txPath.index() + " of " + txPath.leafCount()
                    + ", the proof claims " + index + " of " + namespaceLeaf.txCount());
        }
        if (!txPath.verify(transaction.hash(), namespaceLeaf.txRoot())) {
            throw new ProofVerificationException("transaction " + index + " of " + ns
                    + " does not lead to the namespace's txRoot");
        }
        return transaction;
    }
}
