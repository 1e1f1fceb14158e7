package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.l1.L1Options;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchPoster.Outcome;
import dev.cortado.settlement.batch.BatchPoster.Stage;
import dev.cortado.settlement.batch.PostCost;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fees on a real Anvil: the carrier follows the blob base fee, a gas price above the cap makes the
 * poster wait until it falls, and a transaction priced out of the blocks is replaced (same nonce,
 * raised fees, the blob fee cap included).
 */
class BatchPosterFeeTest {
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    @TempDir
    Path dir;

    @Test
    void aBlobBaseFeeAboveTheCalldataPriceSendsTheBatchAsCalldata() throws Exception {
        // No RPC method sets the blob base fee; the genesis can: an excess blob gas of 0xF000000 prices blob
        // gas at thousands of gwei, far above what a small batch's calldata costs (about 2 gwei per gas here).
        Path genesis = dir.resolve("genesis.json");
        Files.writeString(genesis, """
                {"config":{"chainId":31337},"nonce":"0x0","timestamp":"%s","extraData":"0x","gasLimit":"0x3938700",
                 "difficulty":"0x0","alloc":{},"baseFeePerGas":"0x3b9aca00","excessBlobGas":"0xF000000",
                 "blobGasUsed":"0x0","number":"0x0"}""".formatted("0x" + Long.toHexString(System.currentTimeMillis() / 1000)));
        try (L1Devnet l1 = L1Devnet.start(L1Options.anvil(), List.of("--init", genesis.toString()));
                BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 4, 21)) {
            BatchL1 t = new BatchL1(l1);
            BigInteger blobFee = l1.web3j().ethBlobBaseFee().send().getBaseFeePerBlobGas();
            assertTrue(blobFee.compareTo(GWEI) > 0, "blob base fee " + blobFee);
            BatchL1.Setup s = t.deploy(node, 3);
            long before = t.nonce(t.poster);
            // Blobs only, with a cap under the blob base fee: nothing goes out.
            BigInteger cap = GWEI.multiply(BigInteger.valueOf(10));
            try (BatchPoster p = BatchPoster.connect(t.config(s, node, 64, cap, BatchPoster.Carrier.BLOBS, dir.resolve("j")),
                    t.poster)) {
                Outcome.Waiting w = assertInstanceOf(Outcome.Waiting.class, p.step());
                assertTrue(w.why().matches("blob base fee \\d+ wei is above the cap 10000000000"), w.why());
            }
            assertEquals(before, t.nonce(t.poster));
            try (BatchPoster p = BatchPoster.connect(t.config(s, node, 64, BatchL1.CAP, BatchPoster.Carrier.CHEAPEST,
                    dir.resolve("j")), t.poster)) {
                Outcome.Posted o = assertInstanceOf(Outcome.Posted.class, p.step());
                assertEquals(PostCost.Mode.CALLDATA, o.price().mode(), o.toString());
                assertTrue(o.price().blobWei().compareTo(o.price().calldataWei()) > 0, o.toString());
                var tx = l1.web3j().ethGetTransactionByHash(o.txHash()).send().getTransaction().orElseThrow();
                assertEquals("0x2", tx.getType(), "a calldata (type-2) transaction");
            }
            assertEquals(1, t.assertEachHeightOnce(s, 3).size());
            t.assertRebuilt(node, s, 10, 0, 3);
        }
    }

    @Test
    void aGasPriceAboveTheCapWaitsAndTheBatchGoesOutOnceItFalls() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil();
                BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 4, 22)) {
            BatchL1 t = new BatchL1(l1);
            BatchL1.Setup s = t.deploy(node, 3);
            BigInteger cap = GWEI.multiply(BigInteger.valueOf(20));
            t.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + GWEI.multiply(BigInteger.valueOf(100)).toString(16));
            l1.mine();
            long before = t.nonce(t.poster);
            int waited = 0;
            Outcome.Posted posted = null;
            try (BatchPoster p = BatchPoster.connect(t.config(s, node, 64, cap, BatchPoster.Carrier.CALLDATA, dir.resolve("j")),
                    t.poster)) {
                // Empty blocks lower the base fee by 1/8 each: from 100 gwei it takes about 13 to get under 19.
                for (int i = 0; i < 40 && posted == null; i++) {
                    BigInteger base = t.baseFee();
                    Outcome o = p.step();
                    if (o instanceof Outcome.Waiting w) {
                        assertTrue(w.why().matches("base fee " + base + " \\+ tip \\d+ wei is above the cap 20000000000"),
                                w.why());
                        assertEquals(before, t.nonce(t.poster), "nothing is sent while the price is above the cap");
                        waited++;
                        l1.mine();
                    } else {
                        posted = assertInstanceOf(Outcome.Posted.class, o);
                    }
                }
            }
            assertTrue(waited >= 10, "waited " + waited + " steps");
            assertTrue(posted != null, "posted once the base fee fell");
            assertTrue(posted.maxFeePerGasWei().compareTo(cap) <= 0, posted.toString());
            assertEquals(before + 1, t.nonce(t.poster));
            t.assertEachHeightOnce(s, 3);
        }
    }

    @Test
    void aTransactionPricedOutOfTheBlocksIsReplacedWithRaisedFeesUnderTheSameNonce() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil();
                BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, 8, 23)) {
            BatchL1 t = new BatchL1(l1);
            BatchL1.Setup s = t.deploy(node, 7);
            long nonceBefore = t.nonce(t.poster);
            t.automine(false);
            try {
                // Calldata first (heights 0..3), then a blob transaction (4..7).
                replaceStuck(t, s, node, BatchPoster.Carrier.CALLDATA, 4);
                replaceStuck(t, s, node, BatchPoster.Carrier.BLOBS, 8);
            } finally {
                t.automine(true);
            }
            assertEquals(nonceBefore + 2, t.nonce(t.poster), "one mined transaction per batch, the stuck ones replaced");
            var batches = t.assertEachHeightOnce(s, 7);
            assertEquals(List.of(0, 1), batches.stream().map(b -> b.blobCount()).toList());
            t.assertRebuilt(node, s, 10, 0, 7);
        }
    }

    private void replaceStuck(BatchL1 t, BatchL1.Setup s, BatchChainNode node, BatchPoster.Carrier carrier, long next)
            throws Exception {
        AtomicBoolean mine = new AtomicBoolean(false);
        // Receipts awaited for 300 ms only (so the first step comes back Pending); bumps due after 60 s.
        var config = new BatchPoster.Config(t.l1.rpcUrl(), s.inbox(), s.lightClient(), List.of(node.uri()), -1, 64 * 1024, 0,
                4, BatchL1.CAP, dir.resolve("j-" + carrier), 3, 20, 300, carrier, 60_000, 0);
        try (BatchPoster p = BatchPoster.connect(config, t.poster)) {
            p.onStage((stage, tx) -> {
                if (stage == Stage.AWAITING_RECEIPT && mine.get()) t.l1.mine();
            });
            Outcome.Pending first = assertInstanceOf(Outcome.Pending.class, p.step());
            var stuck = t.l1.web3j().ethGetTransactionByHash(first.txHash()).send().getTransaction().orElseThrow();
            // The next blocks' base fee jumps past what it offers: it stays out of them.
            BigInteger base = stuck.getMaxFeePerGas().multiply(BigInteger.valueOf(3));
            t.rpc("anvil_setNextBlockBaseFeePerGas", "0x" + base.toString(16));
            t.l1.mine();
            assertFalse(t.l1.web3j().ethGetTransactionReceipt(first.txHash()).send().getTransactionReceipt().isPresent());
            mine.set(true);
            // Not 60 s old yet, but priced out: the next step replaces it.
            Outcome.Posted o = assertInstanceOf(Outcome.Posted.class, p.step());
            assertEquals(first.txHash(), o.replaced());
            assertNotEquals(first.txHash(), o.txHash());
            var mined = t.l1.web3j().ethGetTransactionByHash(o.txHash()).send().getTransaction().orElseThrow();
            assertEquals(stuck.getNonce(), mined.getNonce(), "the same nonce");
            assertEquals(stuck.getInput(), mined.getInput(), "the same call");
            assertTrue(mined.getMaxPriorityFeePerGas().compareTo(stuck.getMaxPriorityFeePerGas()) > 0, "tip raised");
            assertTrue(mined.getMaxFeePerGas().compareTo(base.shiftLeft(1)) >= 0, "fee cap at least twice the base fee");
            if (carrier == BatchPoster.Carrier.BLOBS) {
                assertEquals("0x3", mined.getType());
                assertEquals(stuck.getBlobVersionedHashes(), mined.getBlobVersionedHashes(), "the same blob");
                assertTrue(mined.getMaxFeePerBlobGas().compareTo(stuck.getMaxFeePerBlobGas().shiftLeft(1)) >= 0,
                        "blob fee cap at least doubled: " + stuck.getMaxFeePerBlobGas() + " -> " + mined.getMaxFeePerBlobGas());
            }
            assertFalse(t.l1.web3j().ethGetTransactionByHash(first.txHash()).send().getTransaction().isPresent(),
                    "the stuck transaction is gone from the L1");
            assertEquals(next, t.nextHeight(s));
        }
    }
}
