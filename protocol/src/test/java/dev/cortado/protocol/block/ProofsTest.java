package dev.cortado.protocol.block;

import static dev.cortado.protocol.block.BlockFixtures.CHAIN_ID;
import static dev.cortado.protocol.block.BlockFixtures.NS_A;
import static dev.cortado.protocol.block.BlockFixtures.NS_B;
import static dev.cortado.protocol.block.BlockFixtures.NS_C;
import static dev.cortado.protocol.block.BlockFixtures.header;
import static dev.cortado.protocol.block.BlockFixtures.tx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ProofsTest {
    private final BlockPayload payload = BlockPayload.build(BlockFixtures.sampleTransactions());
    private final BlockHeader header = header(5, payload, Bytes32.ZERO);

    private static void rejected(Supplier<?> verification, String messagePart) {
        var e = assertThrows(ProofVerificationException.class, verification::get);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void honestNamespaceProofsVerifyForEveryNamespaceAndForAbsence() {
        for (NamespaceId ns : payload.namespaces()) {
            assertEquals(payload.transactions(ns), payload.namespaceProof(ns).verify(header));
        }
        assertEquals(List.of(), payload.namespaceProof(NamespaceId.of(8)).verify(header));
        BlockPayload empty = BlockPayload.EMPTY;
        assertEquals(List.of(), empty.namespaceProof(NS_A).verify(header(0, empty, Bytes32.ZERO)));
    }

    @Test
    void namespaceProofTamperingFails() {
        NamespaceProof honest = payload.namespaceProof(NS_A);
        List<Transaction> txs = honest.transactions();

        List<Transaction> dropped = new ArrayList<>(txs);
        dropped.remove(1);
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), dropped, honest.nsPath()).verify(header), "body bytes");

        List<Transaction> reordered = List.of(txs.get(1), txs.get(0), txs.get(2));
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), reordered, honest.nsPath()).verify(header), "payloadRoot");

        List<Transaction> swappedBytes = List.of(txs.get(0), tx(NS_A, "XX"), txs.get(2));
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), swappedBytes, honest.nsPath()).verify(header), "payloadRoot");

        List<Transaction> extra = new ArrayList<>(txs);
        extra.add(tx(NS_A, ""));
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), extra, honest.nsPath()).verify(header), "body bytes");

        // B's transactions relabelled as A (same sizes: 2 x "bN" vs 3 x "aN" differ, so use B's proof for A).
        NamespaceProof b = payload.namespaceProof(NS_B);
        List<Transaction> relabelled = b.transactions().stream().map(t -> new Transaction(NS_A, t.payload())).toList();
        rejected(() -> new NamespaceProof(NS_A, b.nsTable(), relabelled, b.nsPath()).verify(header), "body bytes");
        rejected(() -> new NamespaceProof(NS_A, b.nsTable(), b.transactions(), honest.nsPath()).verify(header), "carries a transaction of");

        // claiming absence of a present namespace
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), List.of(), null).verify(header), "no path");
        // claiming presence of an absent namespace
        rejected(() -> new NamespaceProof(NamespaceId.of(8), honest.nsTable(), txs, honest.nsPath()).verify(header), "has no");

        // a different table (drops C) does not match nsTableComm
        byte[] otherTable = BlockPayload.build(List.of(tx(NS_A, "a1"), tx(NS_A, "a2"), tx(NS_A, "a3"))).nsTableBytes();
        rejected(() -> new NamespaceProof(NS_A, otherTable, txs, honest.nsPath()).verify(header), "nsTableComm");

        // the honest proof against another block's header
        BlockPayload other = BlockPayload.build(List.of(tx(NS_A, "a1"), tx(NS_A, "a2"), tx(NS_A, "a4"), tx(NS_B, "b1"),
                tx(NS_B, "b2"), tx(NS_C, "")));
        rejected(() -> honest.verify(header(5, other, Bytes32.ZERO)), "payloadRoot");

        // a path to the wrong position
        MerkleProof wrongPos = b.nsPath();
        rejected(() -> new NamespaceProof(NS_A, honest.nsTable(), txs, wrongPos).verify(header), "namespace path");
    }

    @Test
    void transactionProofsVerifyAndTamperingFails() {
        for (NamespaceId ns : payload.namespaces()) {
            List<Transaction> txs = payload.transactions(ns);
            for (int i = 0; i < txs.size(); i++) {
                assertEquals(txs.get(i), payload.transactionProof(ns, i).verify(header));
            }
        }
        TransactionProof p = payload.transactionProof(NS_A, 1);
        rejected(() -> new TransactionProof(tx(NS_A, "a9"), 1, p.txPath(), p.namespaceLeaf(), p.nsTable(), p.nsPath())
                .verify(header), "txRoot");
        TransactionProof p0 = payload.transactionProof(NS_A, 0);
        rejected(() -> new TransactionProof(p.transaction(), 0, p0.txPath(), p.namespaceLeaf(), p.nsTable(), p.nsPath())
                .verify(header), "txRoot");
        rejected(() -> new TransactionProof(p.transaction(), 0, p.txPath(), p.namespaceLeaf(), p.nsTable(), p.nsPath())
                .verify(header), "transaction path");
        NamespaceLeaf leaf = p.namespaceLeaf();
        NamespaceLeaf fewer = new NamespaceLeaf(NS_A, leaf.txRoot(), 2, leaf.byteLength());
        rejected(() -> new TransactionProof(p.transaction(), 1, p.txPath(), fewer, p.nsTable(), p.nsPath())
                .verify(header), "payloadRoot");
        TransactionProof pb = payload.transactionProof(NS_B, 0);
        rejected(() -> new TransactionProof(p.transaction(), 1, p.txPath(), pb.namespaceLeaf(), p.nsTable(), pb.nsPath())
                .verify(header), "comes with the leaf");
        Transaction outsider = tx(NamespaceId.of(8), "a2");
        rejected(() -> new TransactionProof(outsider, 1, p.txPath(), new NamespaceLeaf(outsider.namespace(), leaf.txRoot(),
                leaf.txCount(), leaf.byteLength()), p.nsTable(), p.nsPath()).verify(header), "has no");
        BlockPayload other = BlockPayload.build(List.of(tx(NS_A, "a1"), tx(NS_A, "a2")));
        rejected(() -> p.verify(header(5, other, Bytes32.ZERO)), "nsTableComm");
        assertThrows(IllegalArgumentException.class, () -> payload.transactionProof(NS_A, 3));
        assertThrows(IllegalArgumentException.class, () -> payload.transactionProof(NamespaceId.of(8), 0));
    }

    @Test
    void headerEncodingRoundTripsAndCommitmentCoversEveryField() {
        BlockHeader h = header;
        assertEquals(h, BlockHeader.decode(h.encode()));
        assertThrows(IllegalArgumentException.class, () -> BlockHeader.decode(java.util.Arrays.copyOf(h.encode(), 200)));
        byte[] badVersion = h.encode();
        badVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> BlockHeader.decode(badVersion));
        Bytes32 c = h.commitment(CHAIN_ID);
        Bytes32 x = Bytes32.fromHex("0x" + "11".repeat(32));
        List<BlockHeader> variants = List.of(
                new BlockHeader(h.height().next(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view().next(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), x, h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs() + 1, h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head() + 1, h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), x, h.vidRoot(), h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), x, h.nsTableComm(), h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), x, h.payloadBytes(), h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes() + 1, h.blockCommRoot()),
                new BlockHeader(h.height(), h.view(), h.parent(), h.timestampMs(), h.l1Head(), h.payloadRoot(), h.vidRoot(), h.nsTableComm(), h.payloadBytes(), x));
        for (BlockHeader v : variants) {
            assertTrue(!v.commitment(CHAIN_ID).equals(c), v.toString());
            assertEquals(v, BlockHeader.decode(v.encode()));
        }
        assertTrue(!h.commitment(CHAIN_ID + 1).equals(c));
    }

    @Test
    void blockCommitmentLogProvesEveryHeaderAgainstEveryLaterRoot() {
        BlockCommitmentLog log = new BlockCommitmentLog();
        List<BlockHeader> headers = new ArrayList<>();
        for (int h = 0; h < 9; h++) {
            BlockHeader hd = header(h, payload, log.blockCommRoot());
            log.append(hd, CHAIN_ID);
            headers.add(hd);
        }
        assertEquals(BlockCommitmentLog.blockCommRoot(Bytes32.ZERO, 0), headers.getFirst().blockCommRoot());
        List<Bytes32> comms = headers.stream().map(x -> x.commitment(CHAIN_ID)).toList();
        for (int count = 1; count <= 9; count++) {
            Bytes32 root = log.blockCommRoot(count);
            assertEquals(BlockCommitmentLog.blockCommRoot(MerkleTree.root(comms.subList(0, count)), count), root);
            for (int h = 0; h < count; h++) {
                MerkleProof proof = log.proof(h, count);
                assertTrue(BlockCommitmentLog.verify(root, count, comms.get(h), proof));
                assertTrue(!BlockCommitmentLog.verify(root, count + 1, comms.get(h), proof));
                assertTrue(!BlockCommitmentLog.verify(root, count, comms.get((h + 1) % 9), proof));
            }
        }
        // a header from a fork at height 4 does not prove against the canonical root
        BlockHeader fork = header(4, BlockPayload.build(List.of(tx(NS_A, "fork"))), headers.get(4).blockCommRoot());
        assertTrue(!BlockCommitmentLog.verify(log.blockCommRoot(9), 9, fork.commitment(CHAIN_ID), log.proof(4, 9)));
        // the log refuses a header at the wrong height or with the wrong root
        assertThrows(IllegalArgumentException.class, () -> log.append(header(3, payload, log.blockCommRoot()), CHAIN_ID));
        assertThrows(IllegalArgumentException.class, () -> log.append(header(9, payload, log.blockCommRoot(8)), CHAIN_ID));
    }
}
