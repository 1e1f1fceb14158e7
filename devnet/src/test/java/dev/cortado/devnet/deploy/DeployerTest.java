package dev.cortado.devnet.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;

class DeployerTest {

    @Test
    void deploysEveryContractAndRoundTripsTheDeploymentFile(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            Bytes32 comm = Keccak.hash("a stake table".getBytes(StandardCharsets.UTF_8));
            String poster = l1.accounts().get(1).getAddress();
            String treasury = l1.accounts().get(2).getAddress();
            String rollupPoster = l1.accounts().get(3).getAddress();
            long genesis = l1.latestTimestampSec();
            DeployConfig config = DeployConfig.devnetDefaults(genesis, 2, 4242, comm, List.of(poster), treasury)
                    .withRollupInbox(10_001, rollupPoster);

            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), config);
            assertEquals(l1.chainId(), d.chainId());
            assertEquals(4242, d.hotShotChainId());
            for (Deployment.DeployedContract c : List.of(d.lightClient(), d.stakeTable(), d.marketplace(), d.batchInbox())) {
                String code = l1.web3j().ethGetCode(c.address(), DefaultBlockParameterName.LATEST).send().getCode();
                assertTrue(code.length() > 2, "code at " + c.address());
                assertTrue(c.deploymentBlock() >= 1 && c.deploymentBlock() <= l1.blockNumber());
            }

            var gas = new DefaultGasProvider();
            LightClient lc = LightClient.load(d.lightClient().address(), l1.web3j(), l1.deployer(), gas);
            assertArrayEquals(comm.bytes(), lc.stakeTableCommitment().send());
            assertEquals(BigInteger.valueOf(4242), lc.hotShotChainId().send());
            assertEquals(BigInteger.valueOf(1_024), lc.historyCapacity().send());
            assertEquals(l1.deployer().getAddress(), lc.owner().send());
            SequencingMarketplace m = SequencingMarketplace.load(d.marketplace().address(), l1.web3j(), l1.deployer(), gas);
            var p = m.params().send();
            assertEquals(BigInteger.valueOf(genesis), p.genesisTime);
            assertEquals(BigInteger.TWO, p.secondsPerSlot);
            assertEquals(BigInteger.valueOf(8), p.slotsPerWindow);
            assertEquals(treasury, p.treasury);
            assertTrue((Boolean) BatchInbox.load(d.batchInbox().address(), l1.web3j(), l1.deployer(), gas)
                    .isPoster(poster).send());
            // The rollup's own inbox: a second contract with its own height stream, open to its poster only.
            Deployment.RollupInbox own = d.rollupInbox(10_001).orElseThrow();
            assertEquals(List.of(rollupPoster), own.posters());
            assertTrue(d.rollupInbox(10_002).isEmpty());
            BatchInbox ownInbox = BatchInbox.load(own.inbox().address(), l1.web3j(), l1.deployer(), gas);
            assertTrue(!own.inbox().address().equalsIgnoreCase(d.batchInbox().address()));
            assertTrue((Boolean) ownInbox.isPoster(rollupPoster).send());
            assertTrue(!(Boolean) ownInbox.isPoster(poster).send(), "the network's poster may not post into the rollup's inbox");
            assertEquals(BigInteger.ONE, ownInbox.nextHeight().send());
            assertEquals(BigInteger.valueOf(32_000_000_000L),
                    StakeTable.load(d.stakeTable().address(), l1.web3j(), l1.deployer(), gas).minStakeGwei().send());

            Path file = dir.resolve("out/deployment.json");
            d.write(file);
            assertTrue(Files.readString(file).contains(d.marketplace().address()));
            assertEquals(d, Deployment.read(file));
            // A file from before rollup inboxes existed reads as a deployment without any.
            Path older = dir.resolve("older.json");
            var json = tools.jackson.databind.json.JsonMapper.builder().build();
            var tree = (tools.jackson.databind.node.ObjectNode) json.readTree(Files.readString(file));
            tree.remove("rollupInboxes");
            Files.writeString(older, json.writeValueAsString(tree));
            assertTrue(!Files.readString(older).contains("rollupInboxes"), Files.readString(older));
            assertEquals(List.of(), Deployment.read(older).rollupInboxes());
            assertEquals(d.batchInbox(), Deployment.read(older).batchInbox());
        }
    }

    @Test
    void refusesAWrongChainAndBadFiles(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            DeployConfig config = DeployConfig.devnetDefaults(l1.latestTimestampSec(), 2, 1, Bytes32.ZERO, List.of(),
                    l1.accounts().get(2).getAddress());
            var e = assertThrows(IllegalStateException.class,
                    () -> Deployer.deploy(l1.rpcUrl(), l1.chainId() + 1, l1.deployer(), config));
            assertTrue(e.getMessage().contains("expected " + (l1.chainId() + 1)), e.getMessage());
        }
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"chainId\": \"nope\"}");
        assertThrows(IllegalArgumentException.class, () -> Deployment.read(bad));
        assertThrows(IllegalArgumentException.class, () -> DeployConfig.devnetDefaults(0, 0, 1, Bytes32.ZERO,
                List.of(), "0x0000000000000000000000000000000000000001"));
        assertThrows(IllegalArgumentException.class, () -> DeployConfig.devnetDefaults(0, 2, 1, Bytes32.ZERO,
                List.of("not an address"), "0x0000000000000000000000000000000000000001"));
        String someone = "0x0000000000000000000000000000000000000002";
        DeployConfig plain = DeployConfig.devnetDefaults(0, 2, 1, Bytes32.ZERO, List.of(), someone);
        var twice = assertThrows(IllegalArgumentException.class,
                () -> plain.withRollupInbox(7, someone).withRollupInbox(7, someone));
        assertTrue(twice.getMessage().contains("one rollup inbox per namespace"), twice.getMessage());
        var nobody = assertThrows(IllegalArgumentException.class, () -> new DeployConfig.RollupInboxConfig(7,
                new DeployConfig.BatchInboxConfig(1, List.of())));
        assertTrue(nobody.getMessage().contains("needs at least one poster"), nobody.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plain.withRollupInbox(-1, someone));
        assertThrows(IllegalArgumentException.class, () -> plain.withRollupInbox(7, "not an address"));
    }
}
