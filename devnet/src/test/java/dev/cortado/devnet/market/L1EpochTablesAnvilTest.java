package dev.cortado.devnet.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.da.DaCommittee;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.FollowerSettings;
import dev.cortado.node.l1.L1EpochTables;
import dev.cortado.node.l1.L1Follower;
import dev.cortado.node.l1.L1FollowerStore;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketplaceL1;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link L1EpochTables} against a real Anvil, a real {@link L1Follower} and a real RocksDB decided chain: four
 * validators register (the genesis table), then a fifth registers with its proof of possession and the first
 * exits. The next epoch's table, read at the l1Head of its decided snapshot block, is the contract's own
 * {@code commitment()} at that block, with the joiner's stake at its universe index and the exiter's at zero. Each
 * registration's {@code isDa} (genesis key 2 registers as not-DA, the joiner as DA) is the DA membership of its
 * universe index, and so the DA committee of the epoch.
 */
class L1EpochTablesAnvilTest {
    private static final int CONFIRMATIONS = 2;
    private static final long STAKE = 32_000_000_000L;
    /** Epochs of 8 blocks, lead 3: epoch 1's table is read at height 4, epoch 2's at height 12. */
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final long CHAIN_ID = 31_337;
    /** What keys 0..4 register as on StakeTable.sol (4 is the joiner). */
    private static final boolean[] IS_DA = {true, true, false, true, true};

    @Test
    void theNextEpochsTableIsTheContractsAtTheSnapshotBlock(@TempDir Path dir) throws Exception {
        try (L1Devnet l1 = L1Devnet.startAnvil()) {
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(
                    l1.latestTimestampSec(), 12, 7, DevnetValidators.generate(1, 1).table().commitment(), List.of(),
                    l1.accounts().get(9).getAddress()));
            StakeTableOnAnvil contract = new StakeTableOnAnvil(l1, d.stakeTable().address());
            List<BlsKeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) keys.add(DevnetValidators.keyPair(200 + i));
            long genesisBlock = 0;
            for (int i = 0; i < 4; i++) {
                genesisBlock = contract.register(l1.accounts().get(1 + i), keys.get(i), STAKE, IS_DA[i]);
            }
            contract.register(l1.accounts().get(5), keys.get(4), STAKE, IS_DA[4]);
            long changedBlock = contract.exit(l1.accounts().get(1), keys.get(0));
            for (int i = 0; i < CONFIRMATIONS; i++) l1.mine();

            // The universe in another order than L1's, so indices come from keys: the joiner is index 0.
            List<BlsPublicKey> universe = List.of(keys.get(4).publicKey(), keys.get(3).publicKey(),
                    keys.get(2).publicKey(), keys.get(1).publicKey(), keys.get(0).publicKey());
            List<StakeEntry> genesisEntries = new ArrayList<>();
            for (int i = 0; i < 4; i++) genesisEntries.add(new StakeEntry(keys.get(i).publicKey(), STAKE, IS_DA[i]));
            StakeTable genesis = StakeTable.of(genesisEntries);

            L1Connector connector = L1Connector.load();
            FollowerSettings settings = NodeL1Config.of(d, CONFIRMATIONS, 500).follower();
            try (L1Client client = connector.connect(l1.rpcUrl(), l1.chainId());
                    MarketplaceL1 reader = connector.marketplace(l1.rpcUrl(), d.marketplace().address(),
                            d.stakeTable().address());
                    L1FollowerStore followerStore = new L1FollowerStore(dir.resolve("l1"));
                    NodeStore chain = new NodeStore(dir.resolve("chain"))) {
                L1Follower follower = new L1Follower(client, reader, settings, followerStore);
                follower.catchUp(20);
                assertEquals(changedBlock, follower.followedBlock());
                L1EpochTables tables = new L1EpochTables(SCHEDULE, genesis, universe, DecidedL1Heads.of(chain),
                        follower, L1EpochTables.DEFAULT_RETAIN_EPOCHS);

                // Heights 1..4 were proposed while L1 stood at the genesis registrations, 5..11 after the changes.
                for (long h = 1; h <= 11; h++) decide(chain, h, h <= 4 ? genesisBlock : changedBlock);
                assertEquals(genesis.commitment(), tables.table(1).orElseThrow().commitment(), "L1 held the genesis four");
                // Universe index u holds key 4 - u; every node here is configured da, so the committee is L1's isDa.
                BitSet allConfigured = new BitSet();
                allConfigured.set(0, 5);
                assertArrayEquals(new int[] {1, 3, 4}, DaCommittee.ofEpoch(1, universe, tables.table(1).orElseThrow(),
                        allConfigured).members(), "key 2 (index 2) registered as not-DA");
                assertArrayEquals(contract.at(genesisBlock).commitment().send(), genesis.commitment().bytes());
                assertEquals(new L1EpochTables.Lookup.Pending(2, "its snapshot height 12 is not decided yet"),
                        tables.lookup(2));

                decide(chain, 12, changedBlock);
                EpochTable next = tables.table(2).orElseThrow(() -> new AssertionError(tables.lookup(2).toString()));
                assertArrayEquals(contract.at(changedBlock).commitment().send(), next.commitment().bytes(),
                        "the contract's commitment() at the snapshot block");
                assertEquals(next.commitment(), tables.protocolTable(2).orElseThrow().commitment());
                assertEquals(STAKE, next.weights().stakeGwei(0), "the joiner votes from epoch 2");
                assertEquals(0, next.weights().stakeGwei(4), "the exiter no longer counts");
                for (int i = 1; i <= 3; i++) assertEquals(STAKE, next.weights().stakeGwei(i), "universe index " + i);
                assertEquals(4 * STAKE, next.weights().totalStakeGwei());
                BitSet registeredDa = new BitSet();
                registeredDa.set(0);
                registeredDa.set(1);
                registeredDa.set(3);
                assertEquals(registeredDa, next.daMembers(), "the joiner (index 0) registered as DA, key 2 not, key 0 left");
                DaCommittee committee = DaCommittee.ofEpoch(2, universe, next, allConfigured);
                assertArrayEquals(new int[] {0, 1, 3}, committee.members(), "the joiner is on the DA committee of epoch 2");
                assertEquals(3 * STAKE, committee.table().orElseThrow().committeeStakeGwei());
                L1EpochTables.Lookup.Known known = assertInstanceOf(L1EpochTables.Lookup.Known.class, tables.lookup(2));
                assertTrue(known.keptBecause().isEmpty());
                assertEquals(keys.get(4).publicKey(), known.protocolTable().entry(3).key(), "L1 order: the joiner last");
            }
        }
    }

    /**
     * Stores height {@code h} as decided with a header whose l1Head is {@code l1Head}. The table source reads
     * only headers, so the leaf and QC stay empty here; the node stores its real ones.
     */
    private static void decide(NodeStore chain, long h, long l1Head) {
        BlockHeader header = new BlockHeader(Height.of(h), View.of(h), Bytes32.ZERO, 1_000 * h, l1Head, Bytes32.ZERO,
                Bytes32.ZERO, Bytes32.ZERO, 0, Bytes32.ZERO);
        chain.putDecided(new DecidedBlock(h, h, header.encode(), new byte[0], new byte[0],
                header.commitment(CHAIN_ID).bytes()), null, null, List.of(), null);
    }
}
