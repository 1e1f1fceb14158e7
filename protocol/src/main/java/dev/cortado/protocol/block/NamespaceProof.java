package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.MerkleProof;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's transactions in one block, with the namespace table (checked against
 * {@code nsTableComm}) and the Merkle path of the namespace leaf to {@code payloadRoot}. When the
 * table lacks the namespace, the proof has no transactions and no path: the table itself proves the
 * absence.
 *
 * @param nsPath null exactly when the namespace is absent
 */
public record NamespaceProof(NamespaceId namespace, byte[] nsTable, List<Transaction> transactions, MerkleProof nsPath) {
    public NamespaceProof {
        if (namespace == null || nsTable == null || transactions == null) {
            throw new IllegalArgumentException("namespace, nsTable and transactions must not be null");
        }
        nsTable = nsTable.clone();
        transactions = List.copyOf(transactions);
    }

    @Override
    public byte[] nsTable() {
        return nsTable.clone();
    }

    /**
     * Checks the proof against {@code header} and returns the namespace's transactions in order (empty
     * when the block has none in this namespace).
     *
     * @throws ProofVerificationException naming the first check that failed
     */
    public List<Transaction> verify(BlockHeader header) {
        NamespaceTable table = checkTable(nsTable, header);
        Optional<Integer> idx = table.indexOf(namespace);
        if (idx.isEmpty()) {
            if (!transactions.isEmpty() || nsPath != null) {
                throw new ProofVerificationException("the namespace table has no " + namespace
                        + " but the proof carries transactions or a path");
            }
            return List.of();
        }
        int i = idx.get();
        if (nsPath == null) {
            throw new ProofVerificationException(namespace + " is in the namespace table but the proof has no path");
        }
        for (Transaction t : transactions) {
            if (!t.namespace().equals(namespace)) {
                throw new ProofVerificationException("proof for " + namespace + " carries a transaction of " + t.namespace());
            }
        }
        NamespaceLeaf leaf = NamespaceLeaf.of(namespace, transactions);
        checkLeafAgainstTable(leaf, table, i, nsPath, header);
        return transactions;
    }

    static NamespaceTable checkTable(byte[] nsTable, BlockHeader header) {
        if (!Keccak.hash(nsTable).equals(header.nsTableComm())) {
            throw new ProofVerificationException("namespace table does not match the header's nsTableComm at height "
                    + header.height().value());
        }
        NamespaceTable table;
        try {
            table = NamespaceTable.decode(nsTable);
        } catch (IllegalArgumentException e) {
            throw new ProofVerificationException("committed namespace table is malformed: " + e.getMessage(), e);
        }
        if (table.payloadBytes() != header.payloadBytes()) {
            throw new ProofVerificationException("namespace table covers " + table.payloadBytes()
                    + " bytes, the header says " + header.payloadBytes());
        }
        return table;
    }

    static void checkLeafAgainstTable(NamespaceLeaf leaf, NamespaceTable table, int i, MerkleProof nsPath,
            BlockHeader header) {
        long tableBytes = (long) table.endOffset(i) - table.startOffset(i);
        if (leaf.byteLength() != tableBytes) {
            throw new ProofVerificationException(leaf.namespace() + " has " + leaf.byteLength()
                    + " body bytes in the proof, the namespace table says " + tableBytes);
        }
        if (nsPath.index() != i || nsPath.leafCount() != table.size()) {
            throw new ProofVerificationException("namespace path is for leaf " + nsPath.index() + " of "
                    + nsPath.leafCount() + ", the table puts " + leaf.namespace() + " at " + i + " of " + table.size());
        }
        if (!nsPath.verify(leaf.hash(), header.payloadRoot())) {
            throw new ProofVerificationException("namespace leaf of " + leaf.namespace()
                    + " does not lead to the header's payloadRoot at height " + header.height().value());
        }
    }
}
