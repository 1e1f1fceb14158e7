package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchPoster.Outcome;
import dev.cortado.settlement.batch.BatchPoster.Stage;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.BatchReader.BatchRejectedException;
import dev.cortado.settlement.batch.BlockCollector.UnprovableBlockException;
import dev.cortado.settlement.batch.BlockWitness;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The batch poster and reader on a real Anvil: LightClient.sol certifies a real chain (BLS
 * certificates over real headers), a real HTTP node serves its blocks, BatchInbox records what the
 * poster sends, and the reader rebuilds each namespace from L1 alone.
 */
class BatchPosterTest {
    private static final long HOTSHOT_CHAIN = 4343;
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(4);
    private static final StakeTable TABLE = StakeFixtures.table(KEYS);

    private static L1Devnet l1;
    private static Credentials owner;
    private static Credentials poster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        poster = l1.accounts().get(2);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    /** Fresh contracts; LightClient certifies {@code certified} of the node's chain. */
    private record Setup(String lightClient, String inbox) {
    }

    private Setup deploy(BatchChainNode node, int certified) throws Exception {
        var genesis = new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, node.log.blockCommRoot(1).bytes(),
                TABLE.commitment().bytes());
        LightClient lc = LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(),
                BigInteger.valueOf(HOTSHOT_CHAIN), genesis, BigInteger.valueOf(16), ZERO).send();
        certify(lc.getContractAddress(), node, certified);
        BatchInbox inbox = BatchInbox.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.ZERO,
                List.of(poster.getAddress(), owner.getAddress())).send();
        return new Setup(lc.getContractAddress(), inbox.getContractAddress());
    }

    private static void certify(String lc, BatchChainNode node, int height) {
        try (LightClientPoster p = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(), lc,
                List.of(node.uri()), new StakeTableTrust.Known(TABLE)), owner)) {
            assertInstanceOf(LightClientPoster.PostResult.Posted.class, p.post(node.answer(height)));
        }
    }

    private BatchPoster poster(Setup s, BatchChainNode node, long scope, int targetBytes, int maxBlocks, BigInteger cap) {
        return poster(s, node, scope, targetBytes, maxBlocks, cap, BatchPoster.Carrier.CALLDATA);
    }

    private BatchPoster poster(Setup s, BatchChainNode node, long scope, int targetBytes, int maxBlocks, BigInteger cap,
            BatchPoster.Carrier carrier) {
        return BatchPoster.connect(new BatchPoster.Config(l1.rpcUrl(), s.inbox(), s.lightClient(), List.of(node.uri()),
                scope, targetBytes, 0, maxBlocks, cap, dir.resolve("batch-journal"), 3, 20, 30_000, carrier), poster);
    }

    private static final BigInteger CAP = BigInteger.valueOf(1_000_000_000_000L);

    private static void automine(boolean on) throws Exception {
        new Request<>("evm_setAutomine", List.of(on), new HttpService(l1.rpcUrl()), VoidResponse.class).send();
    }

    private static long nonce(Credentials who) throws Exception {
        return l1.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    /** Steps until the inbox's next height reaches {@code next}; the posted outcomes in order. */
    private static List<Outcome.Posted> postUpTo(BatchPoster p, long next, Setup s) throws Exception {
        List<Outcome.Posted> posted = new ArrayList<>();
        for (int i = 0; i < 100 && nextHeight(s) < next; i++) {
            if (p.step() instanceof Outcome.Posted o) posted.add(o);
        }
        assertEquals(next, nextHeight(s));
        return posted;
    }

    private static long nextHeight(Setup s) throws Exception {
        return BatchInbox.load(s.inbox(), l1.web3j(), owner, GAS).nextHeight().send().longValueExact();
    }

    private static void assertRebuilt(BatchChainNode node, Setup s, long ns, int from, int to) {
        try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
            BatchReader.History history = reader.rebuild(ns, from, to);
            assertEquals(to, history.toHeight());
            List<BatchReader.Tx> got = history.transactions();
            int i = 0;
            for (int h = from; h <= to; h++) {
                List<byte[]> want = node.transactions(h, ns);
                for (int t = 0; t < want.size(); t++, i++) {
                    assertEquals(h, got.get(i).height(), "transaction " + i);
                    assertEquals(t, got.get(i).index());
                    assertArrayEquals(want.get(t), got.get(i).payload(), "height " + h + " tx " + t);
                }
            }
            assertEquals(i, got.size(), "no transaction more than the chain holds");
        }
    }

    /** Every height 0..last is in exactly one recorded batch, in order. */
    private static List<PostedBatch> assertEachHeightOnce(Setup s, long last) {
        try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
            List<PostedBatch> batches = reader.postedBatches();
            long expect = 0;
            for (PostedBatch b : batches) {
                assertEquals(expect, b.firstHeight(), "batch " + b.batchIndex());
                expect = b.lastHeight() + 1;
            }
            assertEquals(last + 1, expect);
            return batches;
        }
    }

    @Test
    void postsOnlyCertifiedHeightsInSizedBatchesAndTheReaderRebuildsEachNamespace() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 16, 1)) {
            Setup s = deploy(node, 11);
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 2048, 64, CAP)) {
                List<Outcome.Posted> posted = postUpTo(p, 12, s);
                assertTrue(posted.size() >= 2, "a 2 KiB target splits 12 heights, got " + posted);
                posted.forEach(o -> assertTrue(o.frameBytes() <= 2048 || o.firstHeight() == o.lastHeight(), o.toString()));
                // Heights 12..15 exist on the node but LightClient has not certified them: nothing goes out.
                long before = nonce(poster);
                assertInstanceOf(Outcome.Waiting.class, p.step());
                assertEquals(before, nonce(poster));
                certify(s.lightClient(), node, 15);
                postUpTo(p, 16, s);
            }
            assertEachHeightOnce(s, 15);
            assertRebuilt(node, s, 10, 0, 15);
            assertRebuilt(node, s, 20, 0, 15);
            assertRebuilt(node, s, 20, 5, 9);
            // The same through the CLI: one line per transaction, then the verification summary.
            Cli r = cli("batches", "--rpc", l1.rpcUrl(), "--inbox", s.inbox(), "--light-client", s.lightClient(),
                    "--namespace", "20", "--from", "5", "--to", "9");
            assertEquals(0, r.code(), r.err());
            StringBuilder want = new StringBuilder();
            int count = 0;
            for (int h = 5; h <= 9; h++) {
                List<byte[]> txs = node.transactions(h, 20);
                for (int t = 0; t < txs.size(); t++, count++) {
                    want.append(h).append(' ').append(t).append(" 0x").append(java.util.HexFormat.of().formatHex(txs.get(t)))
                            .append('\n');
                }
            }
            assertTrue(r.out().startsWith(want.toString()), r.out());
            assertTrue(r.out().contains("verified: namespace 20, heights 5..9, " + count + " transactions"), r.out());
        }
    }

    record Cli(int code, String out, String err) {
    }

    static Cli cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine c = dev.cortado.devnet.cli.CortadoCli.newCommandLine();
        c.setOut(new java.io.PrintWriter(out));
        c.setErr(new java.io.PrintWriter(err));
        int code = c.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    @Test
    void blobBatchesGoOutAsRealBlobTransactionsAndTheReaderRebuildsThemFromTheSidecars() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 12, 10)) {
            Setup s = deploy(node, 11);
            List<Outcome.Posted> posted;
            // Blobs forced for the first half, then the cheaper carrier: at Anvil's fees that is blobs too.
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 6, CAP, BatchPoster.Carrier.BLOBS)) {
                posted = new ArrayList<>(postUpTo(p, 6, s));
            }
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 6, CAP, BatchPoster.Carrier.CHEAPEST)) {
                posted.addAll(postUpTo(p, 12, s));
            }
            for (Outcome.Posted o : posted) {
                assertEquals(dev.cortado.settlement.batch.PostCost.Mode.BLOBS, o.price().mode(), o.toString());
                assertTrue(o.price().blobWei().compareTo(o.price().calldataWei()) < 0, o.toString());
                var tx = l1.web3j().ethGetTransactionByHash(o.txHash()).send().getTransaction().orElseThrow();
                assertEquals("0x3", tx.getType(), "a type-3 transaction");
                assertEquals(1, tx.getBlobVersionedHashes().size());
                System.out.printf("blob batch %d..%d: %d frame bytes, %.1f%% of one blob's usable bytes, %d gas%n",
                        o.firstHeight(), o.lastHeight(), o.frameBytes(),
                        100.0 * (o.frameBytes() + 4) / dev.cortado.settlement.batch.BlobPacking.CAPACITY, o.gasUsed());
            }
            List<PostedBatch> batches = assertEachHeightOnce(s, 11);
            batches.forEach(b -> assertEquals(1, b.blobCount()));
            assertRebuilt(node, s, 10, 0, 11);
            assertRebuilt(node, s, 20, 0, 11);
        }
    }

    @Test
    void oneNamespacePosterPostsOnlyItAndTheReaderRefusesOthers() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 8, 2)) {
            Setup s = deploy(node, 7);
            try (BatchPoster p = poster(s, node, 20, 64 * 1024, 64, CAP)) {
                postUpTo(p, 8, s);
            }
            assertRebuilt(node, s, 20, 0, 7);
            try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
                var e = assertThrows(dev.cortado.settlement.batch.BatchVerifier.BatchVerificationException.class,
                        () -> reader.rebuild(10, 0, 7));
                assertEquals(dev.cortado.settlement.batch.BatchVerifier.Reason.SCOPE, e.reason());
                assertTrue(e.getMessage().contains("posts only namespace 20, not 10"), e.getMessage());
            }
        }
    }

    @Test
    void aLyingNodeNeverGetsItsDataPosted() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 6, 3)) {
            Setup s = deploy(node, 5);
            node.lie.set(true);
            long before = nonce(poster);
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 64, CAP)) {
                var e = assertThrows(UnprovableBlockException.class, p::step);
                assertTrue(e.getMessage().contains("no node proved height 1"), e.getMessage());
                assertEquals(before, nonce(poster), "nothing was sent");
                node.lie.set(false);
                postUpTo(p, 6, s);
            }
            assertRebuilt(node, s, 10, 0, 5);
        }
    }

    @Test
    void crashesAtEveryStageNeitherLoseNorDuplicateARange() throws Exception {
        int heights = 22;
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, heights, 4)) {
            Setup s = deploy(node, heights - 1);
            long nonceBefore = nonce(poster);
            Stage[] stages = Stage.values();
            int crashes = 0;
            // No automine: a sent transaction waits in the mempool until the poster, awaiting its receipt,
            // has a block mined. A crash after the send leaves it pending, the case a journal exists for.
            automine(false);
            try {
                for (int i = 0; i < 3 * heights && nextHeight(s) < heights; i++) {
                    Stage crashAt = stages[i % stages.length];
                    // Calldata and blob transactions in turn (the journal then holds the blob sidecar too).
                    BatchPoster.Carrier carrier = (i / stages.length) % 2 == 0 ? BatchPoster.Carrier.CALLDATA
                            : BatchPoster.Carrier.BLOBS;
                    // A fresh poster each time, as after a restart: only the journal file and L1 survive.
                    try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 1, CAP, carrier)) {
                        p.onStage((stage, tx) -> {
                            if (stage == crashAt) throw new IllegalStateException("crash at " + stage);
                            if (stage == Stage.AWAITING_RECEIPT) l1.mine();
                        });
                        try {
                            p.step();
                        } catch (IllegalStateException e) {
                            assertTrue(e.getMessage().startsWith("crash at"), e.getMessage());
                            crashes++;
                        }
                    }
                }
                l1.mine();
            } finally {
                automine(true);
            }
            assertTrue(crashes >= 20, "crashes " + crashes);
            List<PostedBatch> batches = assertEachHeightOnce(s, heights - 1);
            assertEquals(heights, batches.size(), "one batch per height (maxBlocksPerBatch = 1)");
            assertTrue(batches.stream().anyMatch(b -> b.blobCount() == 1), "some batches went as blobs");
            assertTrue(batches.stream().anyMatch(b -> b.blobCount() == 0), "some batches went as calldata");
            // Every transaction the poster's account sent is one of the recorded batches: no duplicate, no revert.
            assertEquals(heights, nonce(poster) - nonceBefore);
            assertRebuilt(node, s, 10, 0, heights - 1);
        }
    }

    @Test
    void aBatchReorgedOutIsPostedAgainOnce() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 10, 5)) {
            Setup s = deploy(node, 9);
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 5, CAP)) {
                postUpTo(p, 5, s);
                String snapshot = l1.snapshot();
                Outcome.Posted second = assertInstanceOf(Outcome.Posted.class, p.step());
                assertEquals(5, second.firstHeight());
                assertEquals(10, nextHeight(s));
                l1.revert(snapshot);
                assertEquals(5, nextHeight(s), "the reorg dropped the second batch");
                Outcome.Posted again = assertInstanceOf(Outcome.Posted.class, p.step());
                assertEquals(5, again.firstHeight());
                assertEquals(9, again.lastHeight());
                assertInstanceOf(Outcome.Waiting.class, p.step());
            }
            assertEquals(2, assertEachHeightOnce(s, 9).size());
            assertRebuilt(node, s, 10, 0, 9);
        }
    }

    @Test
    void aFeeAboveTheCapWaitsAndPostsOnceTheCapAllowsIt() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 4, 6)) {
            Setup s = deploy(node, 3);
            long before = nonce(poster);
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 64, BigInteger.ONE)) {
                Outcome.Waiting w = assertInstanceOf(Outcome.Waiting.class, p.step());
                assertTrue(w.why().contains("above the cap 1"), w.why());
            }
            assertEquals(before, nonce(poster));
            try (BatchPoster p = poster(s, node, BlockWitness.ALL_NAMESPACES, 64 * 1024, 64, CAP)) {
                Outcome.Posted o = assertInstanceOf(Outcome.Posted.class, p.step());
                assertTrue(o.maxFeePerGasWei().compareTo(CAP) <= 0);
            }
            assertEachHeightOnce(s, 3);
        }
    }

    @Test
    void tamperedBatchesAreRefusedByTheReaderWithTheirReason() throws Exception {
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 4, 7)) {
            Setup s = deploy(node, 3);
            BatchTamper.postForged(l1, s.inbox(), owner, node, s.lightClient(), BatchTamper.Kind.FLIPPED_TRANSACTION_BYTE);
            try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
                BatchRejectedException e = assertThrows(BatchRejectedException.class, () -> reader.rebuild(10, 0, 3));
                assertEquals("NAMESPACE_PROOF", e.reason(), e.getMessage());
            }
            Cli r = cli("batches", "--rpc", l1.rpcUrl(), "--inbox", s.inbox(), "--light-client", s.lightClient(),
                    "--namespace", "10");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("cortado batches: batch 0 (tx 0x"), r.err());
            assertTrue(r.err().contains("refused: NAMESPACE_PROOF: NAMESPACE_PROOF: height 1, namespace 10"), r.err());
        }
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 4, 8)) {
            Setup s = deploy(node, 3);
            BatchTamper.postForged(l1, s.inbox(), owner, node, s.lightClient(), BatchTamper.Kind.FLIPPED_HEADER_BYTE);
            try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
                BatchRejectedException e = assertThrows(BatchRejectedException.class, () -> reader.rebuild(10, 0, 3));
                assertEquals("HEADER_NOT_CERTIFIED", e.reason(), e.getMessage());
            }
        }
        try (BatchChainNode node = new BatchChainNode(HOTSHOT_CHAIN, KEYS, TABLE, 4, 9)) {
            Setup s = deploy(node, 3);
            BatchTamper.postForged(l1, s.inbox(), owner, node, s.lightClient(), BatchTamper.Kind.FLIPPED_FRAME_BYTE);
            try (BatchReader reader = new BatchReader(l1.rpcUrl(), s.inbox(), s.lightClient(), 3)) {
                BatchRejectedException e = assertThrows(BatchRejectedException.class, () -> reader.rebuild(10, 0, 3));
                assertTrue(List.of("FRAME", "NAMESPACE_PROOF", "HEADER_NOT_CERTIFIED", "MALFORMED").contains(e.reason()),
                        e.getMessage());
            }
        }
    }
}
