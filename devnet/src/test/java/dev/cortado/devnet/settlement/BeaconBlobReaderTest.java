package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.BeaconBlobSource;
import dev.cortado.settlement.batch.BlobSource.BlobUnavailableException;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's beacon route against what the pinned Anvil (1.7.1) really serves on its RPC port:
 * {@code GET /eth/v1/beacon/blobs/{block_id}?versioned_hashes=…} (the deprecated {@code blob_sidecars}
 * route answers 410). Outside fork mode Anvil names blocks by their execution number, so the reader
 * runs with {@link BeaconBlobSource.BlockId#L1_NUMBER}; the slot form is what a real beacon node takes.
 */
class BeaconBlobReaderTest {
    private static L1Devnet l1;
    private static BatchL1 t;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        t = new BatchL1(l1);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    @Test
    void rebuildsBlobBatchesFromTheBeaconRouteAndRefusesWhatItDoesNotHave() throws Exception {
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 6, 41)) {
            BatchL1.Setup s = t.deploy(node, 5);
            try (BatchPoster p = BatchPoster.connect(t.config(s, node, 3, BatchL1.CAP, BatchPoster.Carrier.BLOBS,
                    dir.resolve("j")), t.poster)) {
                t.postUpTo(p, 6, s);
            }
            URI beacon = URI.create(l1.rpcUrl());
            try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3, beacon,
                    BeaconBlobSource.BlockId.L1_NUMBER)) {
                List<PostedBatch> batches = reader.postedBatches();
                assertTrue(batches.size() >= 2 && batches.stream().allMatch(b -> b.blobCount() == 1), "blob batches");
                for (long ns : new long[] {10, 20}) {
                    List<BatchReader.Tx> got = reader.rebuild(ns, 0, 5).transactions();
                    int i = 0;
                    for (int h = 0; h <= 5; h++) {
                        for (byte[] want : node.transactions(h, ns)) assertArrayEquals(want, got.get(i++).payload());
                    }
                    assertEquals(i, got.size());
                }
            }
            PostedBatch first = t.assertEachHeightOnce(s, 5).getFirst();
            PostedBatch second = t.assertEachHeightOnce(s, 5).get(1);
            try (BeaconBlobSource source = new BeaconBlobSource(URI.create(l1.rpcUrl()), BeaconBlobSource.BlockId.L1_NUMBER,
                    n -> 0, Duration.ofSeconds(10))) {
                byte[] blob = source.blobs(first.l1Block(), first.blobHashes()).getFirst();
                assertEquals(first.blobHashes().getFirst(), InboxL1.versionedHash(blob), "a blob that gives its hash");
                // The right hash at the wrong block: the node answers for that block only.
                BlobUnavailableException wrongBlock = assertThrows(BlobUnavailableException.class,
                        () -> source.blobs(second.l1Block(), first.blobHashes()));
                assertTrue(wrongBlock.getMessage().contains("include none with versioned hash " + first.blobHashes().getFirst()),
                        wrongBlock.getMessage());
                BlobUnavailableException noBlock = assertThrows(BlobUnavailableException.class,
                        () -> source.blobs(1_000_000, first.blobHashes()));
                assertTrue(noBlock.getMessage().contains("HTTP 404"), noBlock.getMessage());
                Bytes32 unknown = Bytes32.of(new byte[32]);
                BlobUnavailableException notThere = assertThrows(BlobUnavailableException.class,
                        () -> source.blobs(first.l1Block(), List.of(unknown)));
                assertTrue(notThere.getMessage().contains("include none with versioned hash " + unknown), notThere.getMessage());
            }
            // Slots need the chain's SECONDS_PER_SLOT, which a non-forked, automining Anvil does not serve.
            try (BeaconBlobSource bySlot = new BeaconBlobSource(URI.create(l1.rpcUrl()), BeaconBlobSource.BlockId.SLOT,
                    n -> 0, Duration.ofSeconds(10))) {
                BlobUnavailableException e = assertThrows(BlobUnavailableException.class,
                        () -> bySlot.blobs(first.l1Block(), first.blobHashes()));
                assertTrue(e.getMessage().startsWith("spec: HTTP"), e.getMessage());
            }
        }
    }
}
