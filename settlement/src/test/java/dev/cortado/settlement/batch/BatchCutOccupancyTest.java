package dev.cortado.settlement.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The size rule packs blobs full under steady load: blocks shaped like the devnet's (three demo
 * rollups at 20 tx/s, about ten transactions per block, a real witness per height) arrive in
 * certification steps of 16 heights, and every batch the rule closes fills at least 95% of its blob's
 * 131,072 bytes. Deterministic: blocks are fed, no clock is read.
 */
class BatchCutOccupancyTest {
    private static final long[] DEMO_NAMESPACES = {10_001, 10_002, 10_003};
    private static final int CERTIFIED_PER_STEP = 16;

    @Test
    void blobBatchesUnderSteadyLoadUseAtLeast95PercentOfTheirBlobs() {
        Random rnd = new Random(13);
        List<BatchContent.Block> waiting = new ArrayList<>();
        List<Double> occupancies = new ArrayList<>();
        long next = 0;
        long height = 0;
        long demoTx = 0;
        int limit = BlobPacking.frameCapacity(1);
        while (occupancies.size() < 6) {
            for (int i = 0; i < CERTIFIED_PER_STEP; i++, height++) {
                List<Transaction> txs = new ArrayList<>();
                for (int t = 0; t < 8 + rnd.nextInt(5); t++, demoTx++) {
                    long ns = DEMO_NAMESPACES[(int) (demoTx % DEMO_NAMESPACES.length)];
                    txs.add(new Transaction(NamespaceId.of(ns),
                            ("demo rollup " + ns + " transfer #" + demoTx).getBytes(StandardCharsets.UTF_8)));
                }
                waiting.add(block(height, txs, rnd));
            }
            if (BatchCut.cut(next, waiting, limit, 9) instanceof BatchCut.Result.Overflow o) {
                assertTrue(o.frame().length <= limit, "the closed frame fits one blob");
                assertEquals(1, BlobPacking.blobsFor(o.frame().length));
                BatchContent decoded = BatchFrame.decode(o.frame(), BatchFrame.MAX_PLAIN_BYTES);
                assertEquals(next, decoded.firstHeight());
                assertEquals(next + o.blocks() - 1, decoded.lastHeight());
                occupancies.add(BlobPacking.occupancy(o.frame().length));
                waiting.subList(0, o.blocks()).clear();
                next += o.blocks();
            }
        }
        for (int i = 0; i < occupancies.size(); i++) {
            double occupancy = occupancies.get(i);
            assertTrue(occupancy >= 0.95, "batch " + i + " uses " + occupancy + " of its blob; all: " + occupancies);
        }
    }

    @Test
    void aFrameThatFitsWaitsAndOneBlockAlwaysGoes() {
        Random rnd = new Random(5);
        List<BatchContent.Block> one = List.of(block(0, List.of(new Transaction(NamespaceId.of(7), new byte[] {1})), rnd));
        assertTrue(BatchCut.cut(0, one, BlobPacking.frameCapacity(1), 9) instanceof BatchCut.Result.Fits);
        // Incompressible transactions larger than the limit: the batch is that one block anyway.
        byte[] big = new byte[40_000];
        rnd.nextBytes(big);
        List<BatchContent.Block> two = List.of(block(0, List.of(new Transaction(NamespaceId.of(7), big)), rnd),
                block(1, List.of(new Transaction(NamespaceId.of(7), big.clone())), rnd));
        var cut = BatchCut.cut(0, two, 10_000, 9);
        assertTrue(cut instanceof BatchCut.Result.Overflow);
        assertEquals(1, cut.blocks());
    }

    @Test
    void theFrameLimitIsTheBlobCapacityWhenBlobsMayCarryTheBatch() {
        assertEquals(126_972, config(BatchPoster.Carrier.CHEAPEST, 1).frameLimitBytes());
        assertEquals(3 * 126_976 - 4, config(BatchPoster.Carrier.BLOBS, 3).frameLimitBytes());
        assertEquals(120_000, config(BatchPoster.Carrier.CALLDATA, 1).frameLimitBytes(), "calldata keeps its byte target");
        assertEquals(120_000, config(BatchPoster.Carrier.BLOBS, 0).frameLimitBytes());
        assertThrows(IllegalArgumentException.class, () -> config(BatchPoster.Carrier.CHEAPEST, 2),
                "a two-blob frame cannot fall back to calldata");
        assertThrows(IllegalArgumentException.class, () -> config(BatchPoster.Carrier.BLOBS, BlobPacking.MAX_BLOBS + 1));
    }

    private static BatchPoster.Config config(BatchPoster.Carrier carrier, int blobs) {
        String a = "0x" + "11".repeat(20);
        return new BatchPoster.Config("http://127.0.0.1:1", a, a, List.of(URI.create("http://127.0.0.1:2")), -1, 120_000, 0,
                64, BigInteger.ONE, Path.of("journal"), 1, 10, 10, carrier).withTargetBlobs(blobs);
    }

    /** A block with a real payload and a witness of the devnet's shape (random hashes where proofs would be). */
    private static BatchContent.Block block(long h, List<Transaction> txs, Random rnd) {
        BlockPayload payload = BlockPayload.build(txs);
        BlockHeader header = new BlockHeader(Height.of(h), View.of(2 * h + 1), random(rnd), 1_700_000_000_000L + 500 * h,
                100 + h / 24, payload.payloadRoot(), random(rnd), payload.nsTableComm(), payload.byteLength(), random(rnd));
        List<Bytes32> siblings = new ArrayList<>();
        for (long n = h + 1; n > 0; n >>= 1) siblings.add(random(rnd));
        List<List<Bytes32>> paths = new ArrayList<>();
        List<BatchContent.Namespace> namespaces = new ArrayList<>();
        byte[] table = null;
        for (NamespaceId ns : payload.namespaces()) {
            NamespaceProof p = payload.namespaceProof(ns);
            table = p.nsTable();
            paths.add(p.nsPath().siblings());
            namespaces.add(new BatchContent.Namespace(ns.value(), p.transactions().stream().map(Transaction::payload).toList()));
        }
        BlockWitness w = new BlockWitness(BlockWitness.ALL_NAMESPACES, h + 8, header, siblings, table, paths);
        return new BatchContent.Block(h, w.encode(), namespaces);
    }

    private static Bytes32 random(Random rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return Bytes32.of(b);
    }
}
