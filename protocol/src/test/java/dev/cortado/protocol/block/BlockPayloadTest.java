package dev.cortado.protocol.block;

import static dev.cortado.protocol.block.BlockFixtures.NS_A;
import static dev.cortado.protocol.block.BlockFixtures.NS_B;
import static dev.cortado.protocol.block.BlockFixtures.NS_C;
import static dev.cortado.protocol.block.BlockFixtures.tx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPayloadTest {

    @Test
    void transactionHashFollowsTheDocument() {
        Transaction t = tx(NS_A, "hello");
        Bytes32 expected = Keccak.hash(Abi.encode(DomainTags.TX, 7L, Keccak.hash("hello".getBytes())));
        assertEquals(expected, t.hash());
        assertNotEquals(t.hash(), tx(NS_B, "hello").hash());
        assertThrows(IllegalArgumentException.class, () -> NamespaceId.of(-1));
    }

    @Test
    void buildGroupsByAscendingNamespaceKeepingSubmissionOrder() {
        BlockPayload p = BlockPayload.build(BlockFixtures.sampleTransactions());
        assertEquals(List.of(NS_A, NS_B, NS_C), p.namespaces());
        assertEquals(List.of(tx(NS_A, "a1"), tx(NS_A, "a2"), tx(NS_A, "a3")), p.transactions(NS_A));
        assertEquals(List.of(tx(NS_B, "b1"), tx(NS_B, "b2")), p.transactions(NS_B));
        assertEquals(List.of(tx(NS_C, "")), p.transactions(NS_C));
        assertEquals(List.of(), p.transactions(NamespaceId.of(8)));
        // bodies: A = 3 x (4 + 2), B = 2 x (4 + 2), C = 4
        assertEquals(18 + 12 + 4, p.byteLength());
        assertEquals(List.of(new NamespaceTable.Entry(NS_A, 18), new NamespaceTable.Entry(NS_B, 30),
                new NamespaceTable.Entry(NS_C, 34)), p.namespaceTable().entries());
        byte[] bytes = p.bytes();
        assertEquals(2, ByteBuffer.wrap(bytes, 0, 4).getInt());
        assertEquals('a', bytes[4]);
    }

    @Test
    void payloadRootAndNamespaceLeafFollowTheDocument() {
        BlockPayload p = BlockPayload.build(BlockFixtures.sampleTransactions());
        List<Transaction> a = p.transactions(NS_A);
        Bytes32 txRoot = MerkleTree.root(a.stream().map(Transaction::hash).toList());
        Bytes32 leafA = Keccak.hash(Abi.encoder().bytes32(DomainTags.NAMESPACE).uint64(7).bytes32(txRoot).uint256(3)
                .uint256(18).build());
        assertEquals(leafA, p.namespaceLeaf(NS_A).orElseThrow().hash());
        List<Bytes32> leaves = p.namespaces().stream().map(ns -> p.namespaceLeaf(ns).orElseThrow().hash()).toList();
        assertEquals(MerkleTree.root(leaves), p.payloadRoot());
        assertEquals(Keccak.hash(p.nsTableBytes()), p.nsTableComm());
    }

    @Test
    void parseRoundTripsAndEmptyPayloadIsWellDefined() {
        BlockPayload p = BlockPayload.build(BlockFixtures.sampleTransactions());
        BlockPayload q = BlockPayload.parse(p.nsTableBytes(), p.bytes());
        assertEquals(p.payloadRoot(), q.payloadRoot());
        assertEquals(p.allTransactions(), q.allTransactions());
        assertEquals(Bytes32.ZERO, BlockPayload.EMPTY.payloadRoot());
        assertArrayEquals(new byte[4], BlockPayload.EMPTY.nsTableBytes());
        assertEquals(0, BlockPayload.parse(new byte[4], new byte[0]).byteLength());
    }

    @Test
    void parseRejectsMalformedBodies() {
        BlockPayload p = BlockPayload.build(BlockFixtures.sampleTransactions());
        byte[] bytes = p.bytes();
        byte[] table = p.nsTableBytes();
        assertThrows(IllegalArgumentException.class, () -> BlockPayload.parse(table, new byte[bytes.length - 1]));
        byte[] lying = bytes.clone();
        lying[3] = 9; // first transaction of A claims 9 bytes, crossing into the next transaction's prefix
        BlockPayload shifted = null;
        try {
            shifted = BlockPayload.parse(table, lying);
        } catch (IllegalArgumentException expected) {
            // either refused outright ...
        }
        if (shifted != null) { // ... or parsed into different transactions, which changes the root
            assertNotEquals(p.payloadRoot(), shifted.payloadRoot());
        }
        byte[] overflow = bytes.clone();
        overflow[0] = 0x7f; // claims far more than the body holds
        var e = assertThrows(IllegalArgumentException.class, () -> BlockPayload.parse(table, overflow));
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
        // A body that ends inside a length prefix: table entry for A at 20 instead of 18.
        NamespaceTable bad = new NamespaceTable(List.of(new NamespaceTable.Entry(NS_A, 20), new NamespaceTable.Entry(NS_B, 30),
                new NamespaceTable.Entry(NS_C, 34)));
        assertThrows(IllegalArgumentException.class, () -> BlockPayload.parse(bad, bytes));
    }

    @Test
    void namespaceTableDecodingIsBoundedAndOrdered() {
        NamespaceTable t = BlockPayload.build(BlockFixtures.sampleTransactions()).namespaceTable();
        assertEquals(t, NamespaceTable.decode(t.encode()));
        byte[] enc = t.encode();
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(java.util.Arrays.copyOf(enc, enc.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(java.util.Arrays.copyOf(enc, enc.length - 1)));
        byte[] huge = ByteBuffer.allocate(4).putInt(NamespaceTable.MAX_ENTRIES + 1).array();
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(huge));
        byte[] negative = ByteBuffer.allocate(4).putInt(-1).array();
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(negative));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {5, 5}, new int[] {4, 8})));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {6, 5}, new int[] {4, 8})));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {5, 6}, new int[] {8, 8})));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {5}, new int[] {0})));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {-3}, new int[] {4})));
        assertThrows(IllegalArgumentException.class, () -> NamespaceTable.decode(table(new long[] {3}, new int[] {-4})));
    }

    private static byte[] table(long[] ids, int[] ends) {
        ByteBuffer b = ByteBuffer.allocate(4 + 12 * ids.length).putInt(ids.length);
        for (int i = 0; i < ids.length; i++) {
            b.putLong(ids[i]).putInt(ends[i]);
        }
        return b.array();
    }

    @Test
    void locatesTransactionsByHash() {
        BlockPayload p = BlockPayload.build(BlockFixtures.sampleTransactions());
        assertEquals(new BlockPayload.TxLocation(NS_B, 1), p.locate(tx(NS_B, "b2").hash()).orElseThrow());
        assertTrue(p.locate(tx(NS_B, "zz").hash()).isEmpty());
        assertEquals(6, p.transactionIndex().size());
    }
}
