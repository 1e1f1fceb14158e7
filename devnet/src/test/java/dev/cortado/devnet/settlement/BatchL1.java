package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchPoster.Outcome;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.InboxL1.PostedBatch;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Batch tests' view of one Anvil: LightClient and BatchInbox deployed fresh per test, a poster
 * account (dev account 2) the inbox accepts, and the checks every test ends with.
 */
final class BatchL1 {
    static final long HOTSHOT_CHAIN = 4343;
    static final List<BlsKeyPair> KEYS = StakeFixtures.keys(4);
    static final StakeTable TABLE = StakeFixtures.table(KEYS);
    static final BigInteger CAP = BigInteger.valueOf(1_000_000_000_000L);
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    final L1Devnet l1;
    final Credentials owner;
    final Credentials poster;

    BatchL1(L1Devnet l1) {
        this.l1 = l1;
        this.owner = l1.accounts().get(0);
        this.poster = l1.accounts().get(2);
    }

    record Setup(String lightClient, String inbox) {
    }

    Setup deploy(BatchChainNode node, int certified) throws Exception {
        var genesis = new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, node.log.blockCommRoot(1).bytes(),
                TABLE.commitment().bytes());
        LightClient lc = LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(),
                BigInteger.valueOf(HOTSHOT_CHAIN), genesis, BigInteger.valueOf(16), ZERO).send();
        if (certified > 0) certify(lc.getContractAddress(), node, certified);
        BatchInbox inbox = BatchInbox.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.ZERO,
                List.of(poster.getAddress(), owner.getAddress())).send();
        return new Setup(lc.getContractAddress(), inbox.getContractAddress());
    }

    void certify(String lc, BatchChainNode node, int height) {
        try (LightClientPoster p = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(), lc,
                List.of(node.uri()), new StakeTableTrust.Known(TABLE)), owner)) {
            assertInstanceOf(LightClientPoster.PostResult.Posted.class, p.post(node.answer(height)));
        }
    }

    BatchPoster.Config config(Setup s, BatchChainNode node, int maxBlocks, BigInteger cap, BatchPoster.Carrier carrier,
            Path journal) {
        return new BatchPoster.Config(l1.rpcUrl(), s.inbox(), s.lightClient(), List.of(node.uri()), -1, 64 * 1024, 0,
                maxBlocks, cap, journal, 3, 20, 30_000, carrier);
    }

    void automine(boolean on) throws Exception {
        rpc("evm_setAutomine", on);
    }

    /** An Anvil method whose answer the test does not need. */
    void rpc(String method, Object... params) throws Exception {
        var r = new Request<>(method, List.of(params), new HttpService(l1.rpcUrl()), VoidResponse.class).send();
        if (r.hasError()) throw new IllegalStateException(method + ": " + r.getError().getMessage());
    }

    long nonce(Credentials who) throws Exception {
        return l1.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    BigInteger baseFee() throws Exception {
        return l1.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
    }

    long nextHeight(Setup s) throws Exception {
        return BatchInbox.load(s.inbox(), l1.web3j(), owner, GAS).nextHeight().send().longValueExact();
    }

    /** Steps until the inbox's next height reaches {@code next}; the posted outcomes in order. */
    List<Outcome.Posted> postUpTo(BatchPoster p, long next, Setup s) throws Exception {
        List<Outcome.Posted> posted = new ArrayList<>();
        for (int i = 0; i < 100 && nextHeight(s) < next; i++) {
            if (p.step() instanceof Outcome.Posted o) posted.add(o);
        }
        assertEquals(next, nextHeight(s));
        return posted;
    }

    /** The reader rebuilds namespace {@code ns} of heights {@code from..to} exactly as the chain holds it. */
    void assertRebuilt(BatchChainNode node, Setup s, long ns, int from, int to) {
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
    List<PostedBatch> assertEachHeightOnce(Setup s, long last) {
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
}
