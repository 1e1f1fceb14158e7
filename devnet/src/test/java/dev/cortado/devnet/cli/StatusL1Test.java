package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.port.WindowState;
import dev.cortado.devnet.testing.CliRun;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** {@code cortado status --deployment}: the L1 side read from a real Anvil and a deployment file, no devnet running. */
class StatusL1Test {
    @TempDir Path dir;

    @Test
    void readsTheSlotTheLightClientAndTheLastBatchFromL1Alone() throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            Credentials poster = l1.accounts().get(1);
            DeployConfig config = DeployConfig.devnetDefaults(l1.latestTimestampSec(), 2, 4242, Bytes32.ZERO,
                    List.of(poster.getAddress()), l1.accounts().get(2).getAddress());
            Credentials rollupPoster = l1.accounts().get(3);
            config = config.withRollupInbox(10_001, rollupPoster.getAddress());
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), config);
            Path file = dir.resolve("deployment.json");
            d.write(file);

            CliRun before = CliRun.of("status", "--deployment", file.toString());
            assertEquals(0, before.code(), before.err());
            List<String> lines = before.out().lines().toList();
            assertEquals(5, lines.size(), before.out());
            assertTrue(lines.get(0).startsWith("L1 chain " + l1.chainId() + " block "), lines.get(0));
            assertTrue(lines.get(1).endsWith(": no registered rollups"), lines.get(1));
            assertTrue(lines.get(2).contains("HotShot height 0, view 0 certified at L1 block"), lines.get(2));
            assertTrue(lines.get(3).matches("batches: none posted since L1 block \\d+; next height \\d+"), lines.get(3));
            String own = d.rollupInbox(10_001).orElseThrow().inbox().address();
            assertTrue(lines.get(4).matches("batches of namespace 10001 \\(" + own + "\\): none posted since L1 block \\d+;"
                    + " next height 1"), lines.get(4));

            long first;
            try (InboxL1 inbox = new InboxL1(l1.rpcUrl(), d.batchInbox().address(), 3)) {
                first = inbox.nextHeight();
            }
            String tx = new RawTransactionManager(l1.web3j(), poster, l1.chainId())
                    .sendTransaction(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(500_000), d.batchInbox().address(),
                            InboxL1.calldataBatchCall(first, first + 2, 0, new byte[] {1, 2, 3}), BigInteger.ZERO)
                    .getTransactionHash();
            TransactionReceipt receipt = mined(l1, tx);
            assertTrue(receipt.isStatusOK(), receipt.toString());
            CliRun after = CliRun.of("status", "--deployment", file.toString());
            assertEquals(0, after.code(), after.err());
            String batch = after.out().lines().toList().get(3);
            assertTrue(batch.matches("batches: last #0 heights " + first + "-" + (first + 2) + " as calldata at L1 block \\d+; 1 since L1 block"
                    + " \\d+; next height " + (first + 3)), batch);
            // The rollup's own inbox has its own stream: the network's batch is not in it, its own one is.
            assertTrue(after.out().lines().toList().get(4).endsWith("none posted since L1 block "
                    + d.rollupInbox(10_001).orElseThrow().inbox().deploymentBlock() + "; next height 1"), after.out());
            String ownTx = new RawTransactionManager(l1.web3j(), rollupPoster, l1.chainId())
                    .sendTransaction(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(500_000), own,
                            InboxL1.calldataBatchCall(1, 4, 0, new byte[] {4, 5}), BigInteger.ZERO)
                    .getTransactionHash();
            assertTrue(mined(l1, ownTx).isStatusOK());
            String ownLine = CliRun.of("status", "--deployment", file.toString()).out().lines().toList().get(4);
            assertTrue(ownLine.matches("batches of namespace 10001 \\(" + own + "\\): last #0 heights 1-4 as calldata at L1 block"
                    + " \\d+; 1 since L1 block \\d+; next height 5"), ownLine);
        }
    }

    /** The receipt once Anvil has mined it: its answer to the send can come before the block holding it. */
    private static TransactionReceipt mined(L1Devnet l1, String tx) throws Exception {
        return new PollingTransactionReceiptProcessor(l1.web3j(), 20, 1_500).waitForTransactionReceipt(tx);
    }

    @Test
    void namesWhatIsWrongWithTheInputs() throws Exception {
        CliRun missing = CliRun.of("status", "--deployment", dir.resolve("none.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("is not a file"), missing.err());
        CliRun both = CliRun.of("status", "--devnet", "--deployment", dir.resolve("none.json").toString());
        assertEquals(1, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        java.nio.file.Files.writeString(dir.resolve("bad.json"), "{\"chainId\": \"x\"}");
        CliRun bad = CliRun.of("status", "--deployment", dir.resolve("bad.json").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("is not a deployment file"), bad.err());
    }

    @Test
    void aWindowLineSaysWhoHoldsEachRollup() {
        Address a = Address.fromHex("0x00000000000000000000000000000000000000aa");
        Address dflt = Address.fromHex("0x00000000000000000000000000000000000000dd");
        List<WindowState.Rollup> rollups = List.of(new WindowState.Rollup(0, 7, dflt, BigInteger.ONE),
                new WindowState.Rollup(1, 9, dflt, BigInteger.ONE));
        assertEquals("window 4 (final): 7 sold to " + a.toHex() + ", 9 unsold (default " + dflt.toHex() + ")",
                L1StatusLines.windowLine(new WindowState(4, true, rollups, Map.of(7L, a))));
        assertEquals("window 5 (result not final yet): 7 pending, 9 pending",
                L1StatusLines.windowLine(new WindowState(5, false, rollups, Map.of())));
    }

}
