package dev.cortado.devnet.market;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.StakeTable;
import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.l1.FollowerSettings;
import dev.cortado.node.l1.L1Follower;
import dev.cortado.node.l1.L1FollowerStore;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.TableSnapshot;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketplaceL1;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * The follower's stake history against a real Anvil: for every followed block, the table it rebuilds from
 * StakeTable.sol's events has exactly the commitment the contract reports at that block (an eth_call pinned
 * to it), through registrations and an exit, and again after a restart from its RocksDB.
 */
class StakeHistoryFollowerTest {
    private static final int CONFIRMATIONS = 2;

    @Test
    void theTableAtEveryFollowedBlockIsTheContractsAtThatBlock(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            Credentials owner = l1.deployer();
            DevnetValidators genesis = DevnetValidators.generate(1, 1);
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), owner, DeployConfig.devnetDefaults(
                    l1.latestTimestampSec(), 12, 7, genesis.table().commitment(), List.of(),
                    l1.accounts().get(9).getAddress()));
            String st = d.stakeTable().address();
            long stake = 32_000_000_000L;
            List<BlsKeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) keys.add(DevnetValidators.keyPair(100 + i));
            StakeTableOnAnvil contract = new StakeTableOnAnvil(l1, st);
            for (int i = 0; i < 3; i++) contract.register(l1.accounts().get(1 + i), keys.get(i), stake, i != 1);
            contract.exit(l1.accounts().get(1), keys.get(0));
            contract.register(l1.accounts().get(4), keys.get(3), stake, false);
            long last = l1.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
            for (int i = 0; i < CONFIRMATIONS; i++) l1.mine();

            L1Connector connector = L1Connector.load();
            FollowerSettings settings = NodeL1Config.of(d, CONFIRMATIONS, 500).follower();
            try (L1Client client = connector.connect(l1.rpcUrl(), l1.chainId());
                    MarketplaceL1 reader = connector.marketplace(l1.rpcUrl(), d.marketplace().address(), st)) {
                try (L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"))) {
                    L1Follower follower = new L1Follower(client, reader, settings, store);
                    follower.catchUp(20);
                    assertEquals(last, follower.followedBlock());
                    assertEquals(5, checkEveryBlock(l1, follower, st, settings.startBlock(), last),
                            "the tables a; a, b; a, b, c; b, c; b, c, d");
                    assertEquals(new TableSnapshot.NotYetSeen(last + 1, last), follower.stakeTableAt(last + 1));
                }
                try (L1FollowerStore store = new L1FollowerStore(dir.resolve("l1"))) {
                    L1Follower restarted = new L1Follower(client, reader, settings, store);
                    checkEveryBlock(l1, restarted, st, settings.startBlock(), last);
                }
            }
        }
    }

    /** Checks each block's table against the contract; returns how many blocks changed a non-empty table. */
    private static int checkEveryBlock(L1Devnet l1, L1Follower follower, String st, long from, long to) throws Exception {
        StakeTable contract = StakeTable.load(st, l1.web3j(), tm(l1, l1.deployer()), GAS);
        int changes = 0;
        byte[] previous = null;
        for (long b = from; b <= to; b++) {
            contract.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)));
            boolean hasCode = l1.web3j().ethGetCode(st, DefaultBlockParameter.valueOf(BigInteger.valueOf(b))).send()
                    .getCode().length() > 2;
            TableSnapshot s = follower.stakeTableAt(b);
            if (!hasCode || contract.activeValidatorIds().send().isEmpty()) {
                assertEquals(new TableSnapshot.NoValidators(b), s, "block " + b);
                continue;
            }
            TableSnapshot.Table t = assertInstanceOf(TableSnapshot.Table.class, s, "block " + b);
            byte[] onChain = contract.commitment().send();
            assertArrayEquals(onChain, t.table().commitment().bytes(), "block " + b);
            if (previous == null || !java.util.Arrays.equals(previous, onChain)) changes++;
            previous = onChain;
        }
        assertTrue(changes > 0);
        return changes;
    }
}
