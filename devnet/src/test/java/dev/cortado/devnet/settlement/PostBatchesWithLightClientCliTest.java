package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.contracts.support.Chain;
import dev.cortado.devnet.l1.L1Devnet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * {@code cortado post-batches --post-light-client} on a real Anvil: one process, one key, both posters.
 * LightClient starts at genesis, so every batch beyond height 0 needs a light-client update the same
 * process sent from the same account; in the end every height is posted once, the newest state is on
 * L1, and the account sent exactly one transaction per update and per batch.
 */
class PostBatchesWithLightClientCliTest {
    private static final int BLOCKS = 12;

    @TempDir
    Path dir;

    @Test
    void postsTheLightClientStatesItsBatchesNeedFromTheSameAccount() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil();
                BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, BLOCKS, 51)) {
            BatchL1 t = new BatchL1(l1);
            BatchL1.Setup s = t.deploy(node, 0);
            long nonceBefore = t.nonce(t.poster);
            String key = Numeric.toHexStringWithPrefixZeroPadded(t.poster.getEcKeyPair().getPrivateKey(), 64);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicInteger code = new AtomicInteger(-1);
            Thread cli = Thread.ofPlatform().name("post-batches-cli").start(() -> {
                CommandLine c = CortadoCli.newCommandLine();
                c.setOut(new PrintWriter(out));
                c.setErr(new PrintWriter(err));
                code.set(c.execute("post-batches", "--rpc", l1.rpcUrl(), "--inbox", s.inbox(), "--light-client",
                        s.lightClient(), "--node", node.uri().toString(), "--key", key, "--journal",
                        dir.resolve("journal").toString(), "--carrier", "calldata", "--max-age", "1ms", "--interval", "100ms",
                        "--post-light-client", "--light-client-interval", "200ms"));
            });
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (t.nextHeight(s) < BLOCKS && cli.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            } finally {
                for (int i = 0; i < 40 && cli.isAlive(); i++) {
                    cli.interrupt();
                    cli.join(500);
                }
            }
            assertFalse(cli.isAlive(), "the command stops when interrupted");
            assertEquals(0, code.get(), () -> "exit " + code.get() + ": " + err + out);
            assertTrue(out.toString().contains("and light-client states to " + s.lightClient()), out.toString());
            var lc = LightClient.load(s.lightClient(), l1.web3j(), t.owner, Chain.GAS);
            assertEquals(BLOCKS - 1, lc.finalizedState().send().component2().longValueExact(), "the newest state is on L1");
            int batches = t.assertEachHeightOnce(s, BLOCKS - 1).size();
            // The node's newest state never changes, so the light-client side sends one update and then skips.
            assertEquals(nonceBefore + 1 + batches, t.nonce(t.poster), "one transaction per update and per batch");
        }
    }
}
