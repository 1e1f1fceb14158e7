package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.lightclient.CertifiedChain;
import dev.cortado.settlement.lightclient.LightClientCalldata;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientPoster.PostResult;
import dev.cortado.settlement.lightclient.LightClientReader;
import dev.cortado.settlement.lightclient.LightClientReader.CommitmentLookup;
import dev.cortado.settlement.lightclient.LightClientReader.EscapeHatchLag;
import dev.cortado.settlement.lightclient.LightClientRevertException;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * The light-client poster against a real Anvil and real HTTP nodes: answers built from real Java
 * certificates (StakeFixtures keys, n = 10), LightClient.sol deployed through the generated wrapper.
 */
class LightClientPosterTest {
    private static final long HOTSHOT_CHAIN = 4343;
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(10);
    private static final StakeTable TABLE = StakeFixtures.table(KEYS);

    private static L1Devnet l1;
    private static Credentials owner;
    private static CertifiedChain chain;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        owner = l1.accounts().get(0);
        chain = new CertifiedChain(HOTSHOT_CHAIN, KEYS, TABLE, 9);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static LightClient deploy(StakeTable table, String prover) throws Exception {
        var genesis = new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, chain.log.blockCommRoot(1).bytes(),
                table.commitment().bytes());
        return LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(HOTSHOT_CHAIN),
                genesis, BigInteger.valueOf(16), prover).send();
    }

    private static LightClientPoster poster(LightClient lc, Credentials who, StakeTableTrust trust, NodeServer... nodes) {
        List<URI> uris = java.util.Arrays.stream(nodes).map(NodeServer::uri).toList();
        return LightClientPoster.connect(new LightClientPoster.Config(l1.rpcUrl(), lc.getContractAddress(), uris, trust,
                3, 50, 20, 30_000), who);
    }

    private static BigInteger nonce(Credentials who) throws IOException {
        return l1.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount();
    }

    @Test
    void postsTheLatestStateThenSkipsItAndTheContractCoversTheHeight() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        Credentials prover = l1.accounts().get(1);
        try (NodeServer node = new NodeServer(h -> chain.answer(5, 0, 5));
                LightClientPoster poster = poster(lc, prover, new StakeTableTrust.Known(TABLE), node)) {
            PostResult.Posted posted = assertInstanceOf(PostResult.Posted.class, poster.postLatest());
            assertEquals(5, posted.height());
            assertEquals(chain.headers.get(5).view().value(), posted.view());
            assertTrue(posted.gasUsed() > 21_000, "gas used " + posted.gasUsed());
            assertTrue(posted.txHash().matches("0x[0-9a-f]{64}"), posted.txHash());
            System.out.println("gas per post, n=10 with 2 non-signers: " + posted.gasUsed());

            LightClientReader reader = poster.reader();
            assertEquals(new CommitmentLookup.Covered(5, 5, chain.log.blockCommRoot(6)), reader.getHotShotCommitment(5));
            assertEquals(new CommitmentLookup.Covered(3, 5, chain.log.blockCommRoot(6)), reader.getHotShotCommitment(3));
            assertEquals(new CommitmentLookup.NotCertified(6, 5), reader.getHotShotCommitment(6));
            assertEquals(new LightClientReader.FinalizedState(posted.view(), 5, chain.log.blockCommRoot(6)),
                    reader.finalizedState());

            BigInteger before = nonce(prover);
            assertEquals(new PostResult.Skipped(5, 5), poster.postLatest());
            assertEquals(before, nonce(prover), "a skipped post sends nothing");

            // An older answer than the contract's is skipped too.
            assertEquals(new PostResult.Skipped(4, 5), poster.post(chain.answer(4)));
            PostResult.Posted all = assertInstanceOf(PostResult.Posted.class, poster.post(chain.answer(6)));
            System.out.println("gas per post, n=10, everyone signs: " + all.gasUsed());
        }
    }

    @Test
    void postsAtAHundredValidatorsWithAndWithoutAbsentees() throws Exception {
        List<BlsKeyPair> keys = StakeFixtures.keys(100);
        StakeTable table = StakeFixtures.table(keys);
        CertifiedChain big = new CertifiedChain(HOTSHOT_CHAIN, keys, table, 3);
        LightClient lc = deploy(table, ZERO);
        int[] tenAbsent = IntStream.range(0, 10).map(i -> 10 * i + 3).toArray();
        try (NodeServer node = new NodeServer(h -> h == 1 ? big.answer(1) : big.answer(2, tenAbsent));
                LightClientPoster poster = poster(lc, l1.accounts().get(3), new StakeTableTrust.Known(table), node)) {
            var everyone = assertInstanceOf(PostResult.Posted.class, poster.post(big.answer(1)));
            var tenMissing = assertInstanceOf(PostResult.Posted.class, poster.post(big.answer(2, tenAbsent)));
            System.out.println("gas per post, n=100: everyone signs " + everyone.gasUsed() + ", 10 non-signers "
                    + tenMissing.gasUsed());
            assertEquals(new CommitmentLookup.Covered(2, 2, big.log.blockCommRoot(3)),
                    poster.reader().getHotShotCommitment(2));
        }
    }

    @Test
    void retriesTransientRpcFailuresAndNeverSendsTwice() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        Credentials prover = l1.accounts().get(1);
        try (FlakyRpc flaky = new FlakyRpc(l1.rpcUrl(), true, true);
                NodeServer node = new NodeServer(h -> chain.answer(6, 4));
                LightClientPoster poster = LightClientPoster.connect(new LightClientPoster.Config(flaky.url(),
                        lc.getContractAddress(), List.of(node.uri()), new StakeTableTrust.OnL1(), 4, 1, 20, 30_000), prover)) {
            BigInteger before = nonce(prover);
            assertEquals(6, assertInstanceOf(PostResult.Posted.class, poster.postLatest()).height());
            assertEquals(before.add(BigInteger.ONE), nonce(prover), "one transaction despite the lost response");
            assertTrue(flaky.refused.get() > 5, "the proxy failed " + flaky.refused.get() + " requests");
            assertEquals(1, flaky.lostSendResponses.get());
        }
    }

    @Test
    void givesUpAfterTheConfiguredAttempts() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        try (FlakyRpc down = new FlakyRpc(l1.rpcUrl(), false, false)) {
            down.alwaysFail = true;
            var config = new LightClientPoster.Config(down.url(), lc.getContractAddress(),
                    List.of(URI.create("http://127.0.0.1:9")), new StakeTableTrust.OnL1(), 3, 1, 20, 1_000);
            var e = assertThrows(dev.cortado.settlement.port.L1Client.L1Exception.class,
                    () -> LightClientPoster.connect(config, owner));
            assertTrue(e.getMessage().contains("failed after 3 attempts"), e.getMessage());
            assertEquals(3, down.refused.get(), "bounded: exactly three attempts");
        }
    }

    @Test
    void refusesAnAddressWithoutALightClient() {
        var config = new LightClientPoster.Config(l1.rpcUrl(), owner.getAddress(), List.of(URI.create("http://127.0.0.1:9")),
                new StakeTableTrust.OnL1(), 1, 0, 20, 1_000);
        var e = assertThrows(dev.cortado.settlement.port.L1Client.L1Exception.class,
                () -> LightClientPoster.connect(config, owner));
        assertTrue(e.getMessage().contains("is a LightClient deployed there?"), e.getMessage());
    }

    @Test
    void refusesBadAnswersBeforeAnyTransaction() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        Credentials prover = l1.accounts().get(2);
        List<BlsKeyPair> outsiders = IntStream.range(200, 210).mapToObj(StakeFixtures::key).toList();
        LightClientAnswer tooLittle = chain.answer(4, 2, 3, 6, 7);
        LightClientAnswer forged = chain.answerSignedBy(4, SignerBitmap.full(10), outsiders);
        BigInteger before = nonce(prover);
        for (StakeTableTrust trust : List.of(new StakeTableTrust.Known(TABLE), new StakeTableTrust.OnL1())) {
            try (NodeServer little = new NodeServer(h -> tooLittle);
                    NodeServer forger = new NodeServer(h -> forged);
                    LightClientPoster p1 = poster(lc, prover, trust, little);
                    LightClientPoster p2 = poster(lc, prover, trust, forger)) {
                var e1 = assertThrows(LightClientVerificationException.class, p1::postLatest);
                assertEquals(Reason.INSUFFICIENT_STAKE, e1.reason(), e1.getMessage());
                var e2 = assertThrows(LightClientVerificationException.class, p2::postLatest);
                assertEquals(Reason.INVALID_CERTIFICATE, e2.reason(), e2.getMessage());
            }
        }
        assertEquals(before, nonce(prover), "no transaction for a bad answer");
        assertEquals(BigInteger.ZERO, lc.finalizedState().send().component2());
    }

    @Test
    void anHonestNodeOutvotesALyingOne() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        try (NodeServer liar = new NodeServer(h -> chain.answer(8, 2, 3, 6, 7));
                NodeServer honest = new NodeServer(h -> chain.answer(3));
                LightClientPoster poster = poster(lc, l1.accounts().get(3), new StakeTableTrust.OnL1(), liar, honest)) {
            assertEquals(3, assertInstanceOf(PostResult.Posted.class, poster.postLatest()).height());
        }
    }

    @Test
    void decodesContractRevertsIntoTheErrorAndItsValues() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        // Someone else put a state of view 100 at height 2 on chain; the node's height 4 has view 13.
        LightClientState ahead = new LightClientState(View.of(100), Height.of(2), chain.log.blockCommRoot(3),
                TABLE.commitment());
        var cert = CertFixtures.sign(KEYS, ThresholdKind.QUORUM, ahead.digest(HOTSHOT_CHAIN), SignerBitmap.full(10));
        LightClientCertificate lcAhead = new LightClientCertificate(ahead, cert);
        LightClientCalldata direct = LightClientCalldata.of(lcAhead, lcAhead.nonSignerData(TABLE));
        ok(lc.newFinalizedState(direct.state(), direct.table(), direct.signature(), direct.absent()));

        Credentials prover = l1.accounts().get(4);
        try (NodeServer node = new NodeServer(h -> chain.answer(4));
                LightClientPoster poster = poster(lc, prover, new StakeTableTrust.Known(TABLE), node)) {
            BigInteger before = nonce(prover);
            var e = assertThrows(LightClientRevertException.class, poster::postLatest);
            assertEquals("LightClient__StaleState", e.revert().name());
            assertEquals("LightClient__StaleState(latestView=100, latestHeight=2, viewNumber=13, height=4)",
                    e.revert().toString());
            assertNull(e.txHash(), "caught in simulation");
            assertEquals(before, nonce(prover));
        }

        LightClient permissioned = deploy(TABLE, owner.getAddress());
        Credentials stranger = l1.accounts().get(5);
        try (NodeServer node = new NodeServer(h -> chain.answer(4));
                LightClientPoster poster = poster(permissioned, stranger, new StakeTableTrust.OnL1(), node)) {
            var e = assertThrows(LightClientRevertException.class, poster::postLatest);
            assertEquals("LightClient__ProverNotPermissioned(caller=" + stranger.getAddress() + ")", e.revert().toString());
        }
    }

    @Test
    void runLoopFollowsTheNodeAndTheReaderAnswersLagQuestions() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        AtomicInteger polls = new AtomicInteger();
        // Each poll the node has decided one more block, from height 2 up to 8.
        try (NodeServer node = new NodeServer(h -> chain.answer(Math.min(8, 2 + polls.getAndIncrement())));
                LightClientPoster poster = poster(lc, l1.accounts().get(6), new StakeTableTrust.OnL1(), node);
                LightClientReader reader = LightClientPoster.openReader(l1.rpcUrl(), lc.getContractAddress(), 3)) {
            LightClientPoster.RunSummary summary = poster.run(10, () -> reader.finalizedState().height() >= 8);
            assertEquals(7, summary.posted());
            assertEquals(0, summary.failed());
            assertEquals(8, summary.lastPostedHeight());
            assertEquals(8, reader.finalizedState().height());

            long last = l1.blockNumber();
            l1.mine();
            l1.mine();
            long now = l1.blockNumber();
            assertEquals(new EscapeHatchLag.Answered(now, 1, true), reader.lagOverEscapeHatchThreshold(now, 1));
            assertEquals(new EscapeHatchLag.Answered(now, 2, false), reader.lagOverEscapeHatchThreshold(now, 2));
            assertEquals(new EscapeHatchLag.Answered(last, 0, false), reader.lagOverEscapeHatchThreshold(last, 0));
            var future = assertInstanceOf(EscapeHatchLag.Unanswerable.class, reader.lagOverEscapeHatchThreshold(now + 5, 1));
            assertEquals("LightClient__FutureL1Block(l1Block=" + (now + 5) + ", currentL1Block=" + now + ")",
                    future.reason().toString());
        }
    }

    @Test
    void theCommandPostsOnceAndThenSkips() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        Credentials prover = l1.accounts().get(7);
        try (NodeServer node = new NodeServer(h -> chain.answer(7, 9))) {
            String[] args = {"post-light-client", "--rpc", l1.rpcUrl(), "--light-client", lc.getContractAddress(),
                    "--node", node.uri().toString(), "--key", Numeric.toHexStringWithPrefixZeroPadded(prover.getEcKeyPair().getPrivateKey(), 64), "--once"};
            String first = runCli(args);
            assertTrue(first.startsWith("posted height 7 (view 22) in 0x"), first);
            assertEquals("skipped height 7: LightClient is already at height 7", runCli(args).strip());
            assertEquals(BigInteger.valueOf(7), lc.finalizedState().send().component2());
        }
    }

    @Test
    void aLostRaceIsARevertWithTheTransactionAndTheWinnersState() throws Exception {
        LightClient lc = deploy(TABLE, ZERO);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (NodeServer node = new NodeServer(h -> chain.answer(5));
                LightClientPoster poster = poster(lc, l1.accounts().get(8), new StakeTableTrust.OnL1(), node)) {
            setAutomine(false);
            try {
                // The poster simulates against height 0, sends and waits for its receipt.
                Future<PostResult> posting = pool.submit(poster::postLatest);
                await("the poster's update pending", () -> pendingTransactions() == 1);
                // A competitor sends the same update with a far higher tip: Anvil orders the block by fee,
                // so the competitor lands first and the poster's transaction reverts on chain.
                LightClientCalldata same = LightClientCalldata.of(chain.answer(5).toCertificate(HOTSHOT_CHAIN),
                        chain.answer(5).nonSignerData().toData());
                String data = lc.newFinalizedState(same.state(), same.table(), same.signature(), same.absent())
                        .encodeFunctionCall();
                var competitor = new org.web3j.tx.RawTransactionManager(l1.web3j(), owner, l1.chainId())
                        .sendEIP1559Transaction(l1.chainId(), BigInteger.valueOf(50_000_000_000L),
                                BigInteger.valueOf(100_000_000_000L), BigInteger.valueOf(2_000_000), lc.getContractAddress(),
                                data, BigInteger.ZERO);
                assertNull(competitor.getError(), () -> competitor.getError().getMessage());
                await("both updates pending", () -> pendingTransactions() == 2);
                l1.mine();
                ExecutionException e = assertThrows(ExecutionException.class, () -> posting.get(30, TimeUnit.SECONDS));
                LightClientRevertException lost = assertInstanceOf(LightClientRevertException.class, e.getCause());
                assertTrue(lost.txHash().matches("0x[0-9a-f]{64}"), "the reverted transaction is named");
                assertEquals("LightClient__StaleState(latestView=16, latestHeight=5, viewNumber=16, height=5)",
                        lost.revert().toString());
                var receipt = l1.web3j().ethGetTransactionReceipt(lost.txHash()).send().getTransactionReceipt().orElseThrow();
                assertTrue(!receipt.isStatusOK(), "mined and reverted");
            } finally {
                setAutomine(true);
                pool.shutdownNow();
            }
        }
    }

    private static void setAutomine(boolean on) throws IOException {
        new Request<>("evm_setAutomine", List.of(on), dev.cortado.settlement.l1.RpcHttp.service(l1.rpcUrl()), VoidResponse.class).send();
    }

    private static int pendingTransactions() {
        try {
            return l1.web3j().ethGetBlockByNumber(DefaultBlockParameterName.PENDING, false).send().getBlock()
                    .getTransactions().size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    static String runCli(String... args) {
        CommandLine cli = CortadoCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertEquals(0, code, () -> "exit " + code + ": " + err);
        return out.toString();
    }
}
