package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStoreTest {
    @TempDir Path dir;

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static DecidedBlock block(long h) {
        return new DecidedBlock(h, h + 10, filled(40, (int) h), filled(20, 1), filled(30, 2), filled(32, (int) h));
    }

    @Test
    void decidedBlocksPayloadsSharesAndIndexSurviveReopen() {
        byte[] tx = filled(32, 7);
        try (NodeStore s = new NodeStore(dir)) {
            assertEquals(-1, s.latestHeight());
            for (long h = 1; h < 5; h++) {
                s.putDecided(block(h), filled(100, 3), filled(10, 4), h == 3 ? List.of(new NodeStore.IndexedTx(tx, 42, 1)) : List.of(),
                        h % 2 == 0 ? new byte[] {(byte) h} : null);
            }
        }
        try (NodeStore s = new NodeStore(dir)) {
            assertEquals(4, s.latestHeight());
            DecidedBlock b = s.decided(3).orElseThrow();
            assertEquals(13, b.view());
            assertArrayEquals(block(3).header(), b.header());
            assertArrayEquals(block(3).qc(), b.qc());
            assertArrayEquals(filled(100, 3), s.payload(3).orElseThrow());
            assertArrayEquals(filled(10, 4), s.vidShare(3).orElseThrow());
            assertEquals(new TxLocation(3, 42, 1), s.txLocation(tx).orElseThrow());
            assertEquals(List.of(2L, 3L), s.decidedRange(2, 2).stream().map(DecidedBlock::height).toList());
            assertEquals(java.util.Optional.of(2L), s.highestProofIn(1, 3));
            assertEquals(java.util.Optional.empty(), s.highestProofIn(3, 3));
            assertArrayEquals(new byte[] {4}, s.decideProof(4).orElseThrow());
            assertEquals(5, s.headers().size(), "genesis and heights 1 to 4");
            assertArrayEquals(block(4).commitment(), s.headers().leaf(4).orElseThrow().bytes());
        }
    }

    @Test
    void safetyIsDurableAndNeverRegresses() {
        try (NodeStore s = new NodeStore(dir)) {
            assertTrue(s.readSafety().isEmpty());
            s.writeSafety(new SafetyState(7, new byte[] {1, 2}));
            s.writeSafety(new SafetyState(9, new byte[] {3}));
            StorageException e = assertThrows(StorageException.class, () -> s.writeSafety(new SafetyState(8, new byte[0])));
            assertTrue(e.getMessage().contains("regression"), e.getMessage());
        }
        try (NodeStore s = new NodeStore(dir)) {
            SafetyState st = s.readSafety().orElseThrow();
            assertEquals(9, st.highestVotedView());
            assertArrayEquals(new byte[] {3}, st.coreState());
        }
    }

    @Test
    void batchedIndexLookupAgreesWithSingleReadsFromMemtableAndFilteredSstFiles() {
        java.util.Random random = new java.util.Random(11);
        List<byte[]> stored = new java.util.ArrayList<>();
        List<byte[]> asked = new java.util.ArrayList<>();
        try (NodeStore s = new NodeStore(dir)) {
            for (long h = 1; h <= 20; h++) {
                List<NodeStore.IndexedTx> txs = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    byte[] hash = new byte[32];
                    random.nextBytes(hash);
                    stored.add(hash);
                    txs.add(new NodeStore.IndexedTx(hash, 5, i));
                }
                s.putDecided(block(h), null, null, txs, null);
                if (h == 10) {
                    s.flushTxIndex(); // half in an SST file behind the bloom filter, half in the memtable
                }
            }
            for (byte[] hash : stored) {
                asked.add(hash);
                byte[] absent = new byte[32];
                random.nextBytes(absent);
                asked.add(absent);
            }
            java.util.Collections.shuffle(asked, random);
            assertIndexAnswers(s, asked, stored.size());
            assertEquals(0, s.txIndexed(List.of()).length);
        }
        try (NodeStore s = new NodeStore(dir)) {
            s.flushTxIndex();
            assertIndexAnswers(s, asked, stored.size());
        }
    }

    private static void assertIndexAnswers(NodeStore s, List<byte[]> asked, int expectedPresent) {
        boolean[] batched = s.txIndexed(asked);
        int present = 0;
        for (int i = 0; i < asked.size(); i++) {
            assertEquals(s.txLocation(asked.get(i)).isPresent(), batched[i], "hash " + i);
            present += batched[i] ? 1 : 0;
        }
        assertEquals(expectedPresent, present);
    }

    @Test
    void pruningRemovesOldBlocksAndTheirIndexEntries() {
        byte[] oldTx = filled(32, 1);
        byte[] newTx = filled(32, 2);
        try (NodeStore s = new NodeStore(dir)) {
            for (long h = 1; h < 10; h++) {
                List<NodeStore.IndexedTx> txs = h == 1 ? List.of(new NodeStore.IndexedTx(oldTx, 5, 0))
                        : h == 8 ? List.of(new NodeStore.IndexedTx(newTx, 5, 0)) : List.of();
                s.putDecided(block(h), filled(8, 1), null, txs, new byte[] {9});
            }
            assertEquals(6, s.prune(4));
            assertEquals(6, s.pruneFloor());
            assertFalse(s.decided(5).isPresent());
            assertFalse(s.payload(1).isPresent());
            assertTrue(s.decided(6).isPresent());
            assertTrue(s.txLocation(oldTx).isEmpty());
            assertEquals(8, s.txLocation(newTx).orElseThrow().height());
            assertEquals(9, s.latestHeight());
            assertEquals(10, s.headers().size(), "header commitments survive pruning");
            assertArrayEquals(block(1).commitment(), s.headers().leaf(1).orElseThrow().bytes());
            assertTrue(s.decideProof(5).isEmpty());
        }
        try (NodeStore s = new NodeStore(dir)) {
            assertEquals(6, s.pruneFloor());
            assertEquals(6, s.decidedRange(0, 100).getFirst().height());
        }
    }

    @Test
    void bundleRecordsAndTheirIndexSurviveReopenAndArePrunedTogether() {
        byte[] early = filled(32, 0x11);
        byte[] late = filled(32, 0x22);
        byte[] lateSecond = filled(32, 0x33);
        try (NodeStore s = new NodeStore(dir)) {
            for (long h = 1; h < 10; h++) {
                if (h == 2) {
                    s.putBundles(h, List.of(new NodeStore.DecidedBundle(early, 0, new byte[] {1, 2, 3})));
                }
                if (h == 8) {
                    s.putBundles(h, List.of(new NodeStore.DecidedBundle(late, 0, new byte[] {4}),
                            new NodeStore.DecidedBundle(lateSecond, 1, new byte[0])));
                }
                s.putDecided(block(h), null, null, List.of(), null);
            }
        }
        try (NodeStore s = new NodeStore(dir)) {
            List<NodeStore.DecidedBundle> at8 = s.bundles(8);
            assertEquals(2, at8.size());
            assertArrayEquals(lateSecond, at8.get(1).id());
            assertEquals(1, at8.get(1).index());
            assertArrayEquals(new byte[] {4}, at8.get(0).record());
            assertEquals(0, at8.get(1).record().length);
            assertEquals(new NodeStore.BundleLocation(8, 1), s.bundleLocation(lateSecond).orElseThrow());
            assertEquals(new NodeStore.BundleLocation(2, 0), s.bundleLocation(early).orElseThrow());
            assertTrue(s.bundles(5).isEmpty());

            s.prune(4);
            assertTrue(s.bundles(2).isEmpty(), "records below the floor are pruned");
            assertTrue(s.bundleLocation(early).isEmpty(), "and so is their id index");
            assertEquals(new NodeStore.BundleLocation(8, 0), s.bundleLocation(late).orElseThrow());
        }
    }
}
