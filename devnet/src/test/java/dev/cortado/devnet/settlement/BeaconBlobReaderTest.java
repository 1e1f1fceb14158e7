package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.BeaconBlobSource;
import dev.cortado.settlement.batch.BlobSource.BlobUnavailableException;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's beacon route against what the pinned Anvil (1.7.1) really serves on its RPC port:
 * {@code GET /eth/v1/beacon/blobs/{block_id}?versioned_hashes=…} (the deprecated {@code blob_sidecars}
 * route answers 410). Outside fork mode Anvil names blocks by their execution number, so the reader
 * runs with {@link BeaconBlobSource.BlockId#L1_NUMBER}; the slot form is what a real beacon node takes.
 * The sidecar route, which Anvil cannot serve, is read from a local server holding Anvil's real blob.
 */
class BeaconBlobReaderTest {
    @RegisterExtension
    static final AnvilBlobBatches anvil = new AnvilBlobBatches();

    @TempDir
    Path dir;

    @Test
    void rebuildsBlobBatchesFromTheBeaconRouteAndRefusesWhatItDoesNotHave() throws Exception {
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 6, 41)) {
            L1Devnet l1 = anvil.l1();
            BatchL1 t = anvil.batches();
            BatchL1.Setup s = anvil.postBlobBatches(node, 5, 3, dir.resolve("j"));
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
                assertTrue(noBlock.getMessage().contains("HTTP 404") && noBlock.getMessage().contains("blob_sidecars: HTTP 410"),
                        noBlock.getMessage());
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

    /**
     * The sidecar route of beacon nodes from before the Fulu API, which Anvil answers only with 410: so
     * here a local HTTP server plays such a node, serving the blob Anvil holds in the sidecar format,
     * then hostile answers (a short blob, a body over the bound, not JSON, a blob of another hash).
     */
    @Test
    void readsTheOlderSidecarRouteAndRefusesHostileAnswers() throws Exception {
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 3, 42)) {
            L1Devnet l1 = anvil.l1();
            BatchL1.Setup s = anvil.postBlobBatches(node, 2, 3, dir.resolve("j"));
            PostedBatch batch = anvil.batches().assertEachHeightOnce(s, 2).getFirst();
            byte[] blob;
            try (BeaconBlobSource fromAnvil = new BeaconBlobSource(URI.create(l1.rpcUrl()), BeaconBlobSource.BlockId.L1_NUMBER,
                    n -> 0, Duration.ofSeconds(10))) {
                blob = fromAnvil.blobs(batch.l1Block(), batch.blobHashes()).getFirst();
            }
            String hex = "0x" + HexFormat.of().formatHex(blob);
            AtomicReference<byte[]> sidecars = new AtomicReference<>();
            HttpServer server = AnvilBlobBatches.localServer(Map.of(
                    "/eth/v1/beacon/blobs/", ex -> AnvilBlobBatches.answer(ex, 404,
                            "{\"code\":404,\"message\":\"NOT_FOUND: route\"}".getBytes(StandardCharsets.UTF_8)),
                    "/eth/v1/beacon/blob_sidecars/", ex -> AnvilBlobBatches.answer(ex, 200, sidecars.get())));
            try (BeaconBlobSource old = new BeaconBlobSource(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    BeaconBlobSource.BlockId.L1_NUMBER, n -> 0, Duration.ofSeconds(10))) {
                sidecars.set(("{\"data\":[{\"index\":\"0\",\"blob\":\"" + hex + "\",\"kzg_commitment\":\"0x00\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(blob, old.blobs(batch.l1Block(), batch.blobHashes()).getFirst());

                sidecars.set("{\"data\":[{\"index\":\"0\",\"blob\":\"0x0102\"}]}".getBytes(StandardCharsets.UTF_8));
                assertRefused(old, batch, "entry 0 of the answer is not a 0x-prefixed 131072-byte blob");
                sidecars.set(new byte[(int) BeaconBlobSource.MAX_ANSWER_BYTES + 1]);
                assertRefused(old, batch, "the answer is over " + BeaconBlobSource.MAX_ANSWER_BYTES + " bytes");
                sidecars.set("<html>gateway</html>".getBytes(StandardCharsets.UTF_8));
                assertRefused(old, batch, "the answer is not JSON");
                byte[] other = blob.clone();
                other[1] ^= 1;
                sidecars.set(("{\"data\":[{\"blob\":\"0x" + HexFormat.of().formatHex(other) + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
                assertRefused(old, batch, "include none with versioned hash " + batch.blobHashes().getFirst());
            } finally {
                server.stop(0);
            }
        }
    }

    private static void assertRefused(BeaconBlobSource source, PostedBatch batch, String why) {
        BlobUnavailableException e = assertThrows(BlobUnavailableException.class,
                () -> source.blobs(batch.l1Block(), batch.blobHashes()));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
