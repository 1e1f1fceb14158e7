package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.BatchReader.BatchRejectedException;
import dev.cortado.settlement.batch.BlobPacking;
import dev.cortado.settlement.batch.BlockCollector;
import dev.cortado.settlement.batch.BlockWitness;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.lightclient.NodeFollower;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong blobs, refused by the reader with a reason: a genuine blob transaction whose blob carries a
 * tampered batch (a dishonest poster), and an L1 node that serves another blob than the one the
 * versioned hash commits to (a dishonest RPC).
 */
class BatchBlobTamperTest {
    @RegisterExtension
    static final AnvilBlobBatches anvil = new AnvilBlobBatches();

    @TempDir
    Path dir;

    @Test
    void aBlobCarryingATamperedBatchIsRefusedByItsNamespaceProof() throws Exception {
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 4, 31)) {
            BatchL1.Setup s = anvil.batches().deploy(node, 3);
            List<BatchContent.Block> blocks = collect(node, 3);
            BatchContent.Block b1 = blocks.get(1);
            List<BatchContent.Namespace> nss = new ArrayList<>(b1.namespaces());
            List<byte[]> txs = new ArrayList<>(nss.get(0).transactions());
            byte[] forged = txs.get(0).clone();
            forged[forged.length / 2] ^= 0x01;
            txs.set(0, forged);
            nss.set(0, new BatchContent.Namespace(nss.get(0).id(), txs));
            blocks.set(1, new BatchContent.Block(1, b1.witness(), nss));
            postBlob(s, BatchFrame.encode(new BatchContent(0, 3, blocks), CodecId.ETH_COLUMNS, 9));
            try (BatchReader reader = new BatchReader(anvil.l1().rpcUrl(), s.inbox(), s.lightClient(), 3)) {
                assertEquals(1, reader.postedBatches().getFirst().blobCount(), "recorded as a blob batch");
                BatchRejectedException e = assertThrows(BatchRejectedException.class, () -> reader.rebuild(10, 0, 3));
                assertEquals("NAMESPACE_PROOF", e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("height 1, namespace 10"), e.getMessage());
            }
        }
    }

    @Test
    void anL1NodeServingAnotherBlobThanTheVersionedHashNamesIsRefused() throws Exception {
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 4, 32)) {
            BatchL1.Setup s = anvil.postBlobBatches(node, 3, 64, dir.resolve("j"));
            // The honest node's answer passes; through a proxy that flips one bit of the blob it serves, the
            // recomputed KZG commitment no longer gives the recorded versioned hash.
            anvil.batches().assertRebuilt(node, s, 10, 0, 3);
            HttpServer proxy = blobFlippingProxy(anvil.l1().rpcUrl());
            try (BatchReader reader = new BatchReader("http://127.0.0.1:" + proxy.getAddress().getPort(), s.inbox(),
                    s.lightClient(), 3)) {
                BatchRejectedException e = assertThrows(BatchRejectedException.class, () -> reader.rebuild(10, 0, 3));
                assertEquals("BLOB", e.reason(), e.getMessage());
                String hash = reader.postedBatches().getFirst().blobHashes().getFirst().toString();
                assertTrue(e.getMessage().endsWith("BLOB: blob 0 does not match its versioned hash " + hash), e.getMessage());
            } finally {
                proxy.stop(0);
            }
        }
    }

    private static List<BatchContent.Block> collect(BatchChainNode node, int anchor) {
        BlockCollector c = new BlockCollector(List.of(new NodeFollower(node.uri())), node.chainId, BlockWitness.ALL_NAMESPACES);
        List<BatchContent.Block> blocks = new ArrayList<>();
        for (int h = 0; h <= anchor; h++) blocks.add(c.collect(h, anchor, node.log.blockCommRoot(anchor + 1L)));
        return blocks;
    }

    /** The owner (an inbox poster) sends {@code frame} in a real blob transaction recording heights 0..3. */
    private static void postBlob(BatchL1.Setup s, byte[] frame) throws Exception {
        L1Devnet l1 = anvil.l1();
        BatchL1 t = anvil.batches();
        try (InboxL1 inbox = new InboxL1(l1.rpcUrl(), s.inbox(), 3)) {
            inbox.forAccount(t.owner.getAddress());
            List<byte[]> blobs = BlobPacking.pack(frame);
            BigInteger gwei = BigInteger.TEN.pow(9);
            InboxL1.Signed signed = inbox.signBlobs(t.owner, l1.chainId(), inbox.nonce(true), BigInteger.valueOf(150_000),
                    InboxL1.blobBatchCall(0, 3, CodecId.ETH_COLUMNS.id(), blobs.size()), gwei, gwei.multiply(BigInteger.TEN),
                    gwei, blobs);
            assertTrue(inbox.sendRaw(signed.rawTx()).isEmpty());
            for (int i = 0; i < 100 && inbox.receipt(signed.txHash()).isEmpty(); i++) Thread.sleep(20);
            assertTrue(inbox.receipt(signed.txHash()).orElseThrow().success());
        }
    }

    /** A JSON-RPC proxy to {@code target} that flips a bit inside every blob {@code anvil_getBlobByHash} returns. */
    private static HttpServer blobFlippingProxy(String target) {
        HttpClient client = HttpClient.newHttpClient();
        return AnvilBlobBatches.localServer(Map.of("/", ex -> {
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String answer = client.send(HttpRequest.newBuilder(URI.create(target)).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"anvil_getBlobByHash\"")) answer = flipInBlob(answer);
                AnvilBlobBatches.answer(ex, 200, answer.getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                ex.close();
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Flips the lowest bit of the blob's second field element: still a valid blob, another commitment. */
    private static String flipInBlob(String answer) {
        int at = answer.indexOf("\"result\":\"0x");
        if (at < 0) return answer;
        int start = at + "\"result\":\"0x".length();
        int pos = start + 2 * (32 + 31); // last byte of element 1
        char c = answer.charAt(pos + 1);
        int v = HexFormat.fromHexDigit(c) ^ 1;
        return answer.substring(0, pos + 1) + Character.forDigit(v, 16) + answer.substring(pos + 2);
    }
}
