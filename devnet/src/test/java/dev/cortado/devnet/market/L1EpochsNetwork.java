package dev.cortado.devnet.market;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.testing.Await;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.L1FollowerService;
import dev.cortado.node.l1.L1Settings;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.NodeEpochs;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;

/**
 * In-process nodes on sockets and RocksDB over a real Anvil, each following StakeTable.sol with its own L1 follower
 * and deriving every epoch's table itself, as {@code cortado node} does with {@code [epochs]}. The first
 * {@code genesisCount} keys are registered on L1 before the nodes start (validator {@code i} from account
 * {@code 1 + i}, so ids follow the indexes) and form the genesis table; the others start as peers without stake.
 * Anvil mines a block every {@link #L1_BLOCK_MS}, so the followers and the blocks' {@code l1Head}s move.
 */
final class L1EpochsNetwork implements AutoCloseable {
    static final long STAKE = dev.cortado.devnet.run.DevnetValidators.STAKE_GWEI;
    static final long CHAIN_ID = 0xC0A7AD0L;
    static final long L1_BLOCK_MS = 300;
    /** LightClient.sol's poster; validators use accounts 1 to 1 + keys, the treasury account 9. */
    static final int POSTER_ACCOUNT = 6;
    private static final int CONFIRMATIONS = 1;

    private final EpochSchedule schedule;
    private final StakeTable genesis;
    private final L1Devnet l1;
    private final ScheduledExecutorService miner;
    private final List<CortadoNode> nodes = new ArrayList<>();
    private final List<NodeMarket> markets = new ArrayList<>();
    private Deployment deployment;
    private StakeTableOnAnvil stakeTable;

    private L1EpochsNetwork(EpochSchedule schedule, StakeTable genesis, L1Devnet l1) {
        this.schedule = schedule;
        this.genesis = genesis;
        this.l1 = l1;
        this.miner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "anvil-miner"));
    }

    /** Deploys, registers the genesis validators, starts every node and waits until all of them decided height 2. */
    static L1EpochsNetwork start(Path dir, List<BlsKeyPair> keys, int genesisCount, EpochSchedule schedule) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < genesisCount; i++) entries.add(new StakeEntry(keys.get(i).publicKey(), STAKE, true));
        L1EpochsNetwork net = new L1EpochsNetwork(schedule, StakeTable.of(entries), L1Devnet.startAnvil());
        try {
            net.deployAndStart(dir, keys, genesisCount);
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private void deployAndStart(Path dir, List<BlsKeyPair> keys, int genesisCount) {
        deployment = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(
                l1.latestTimestampSec(), 12, CHAIN_ID, genesis.commitment(), List.of(), l1.accounts().get(9).getAddress()));
        stakeTable = new StakeTableOnAnvil(l1, deployment.stakeTable().address());
        for (int i = 0; i < genesisCount; i++) stakeTable.register(account(i), keys.get(i), STAKE, true);
        // Anvil mines only on a transaction: a steady L1 clock lets the followers (and so the l1Heads) move.
        miner.scheduleAtFixedRate(() -> {
            try {
                l1.mine();
            } catch (RuntimeException e) {
                // One missed block only delays the followers; an exception would cancel every later one.
                System.err.println("L1EpochsNetwork: evm_mine failed: " + e.getMessage());
            }
        }, L1_BLOCK_MS, L1_BLOCK_MS, TimeUnit.MILLISECONDS);

        L1Settings l1Settings = NodeL1Config.of(deployment, CONFIRMATIONS, 100);
        List<PeerEntry> peers = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            boolean staked = i < genesisCount;
            peers.add(new PeerEntry(BlsPeerCrypto.peerKey(keys.get(i).publicKey()),
                    new InetSocketAddress("127.0.0.1", LoopbackPorts.pick()), staked ? STAKE : 0, staked));
        }
        for (int i = 0; i < keys.size(); i++) {
            NodeSettings s = new NodeSettings(CHAIN_ID, keys.get(i), peers, List.of(), false, dir.resolve("node" + i),
                    peers.get(i).address(), new InetSocketAddress("127.0.0.1", 0), 1_000, 8_000, 1 << 20, 4 << 20,
                    10_000, new MempoolLimits(1 << 20, 8L << 20, 32L << 20, 100_000), 4 << 20, true, 1_000, 50, true);
            // As `cortado node` does with [epochs]: the follower first, the node's tables over it, then the market.
            L1FollowerService follower = L1FollowerService.open(l1Settings, s.dataDir()).start();
            CortadoNode node;
            try {
                node = new CortadoNode(s, new NodeEpochs.FromL1(schedule, follower.follower()));
            } catch (RuntimeException e) {
                follower.close();
                throw e;
            }
            nodes.add(node);
            node.start();
            NodeMarket market = NodeMarket.attach(node.apiServer(), follower);
            markets.add(market);
            node.followL1(market.state(), l1Settings.maxL1LeadBlocks(), l1Settings.chainId(),
                    Address.fromHex(l1Settings.marketplace()));
        }
        Await.until("every node decided height 2", 20_000, () -> nodes.stream().allMatch(n -> n.height() >= 2),
                this::heights);
    }

    /** The L1 account validator {@code index} registers and exits from. */
    Credentials account(int index) {
        return l1.accounts().get(1 + index);
    }

    Credentials posterAccount() {
        return l1.accounts().get(POSTER_ACCOUNT);
    }

    L1Devnet l1() {
        return l1;
    }

    Deployment deployment() {
        return deployment;
    }

    StakeTableOnAnvil stakeTable() {
        return stakeTable;
    }

    StakeTable genesis() {
        return genesis;
    }

    EpochSchedule schedule() {
        return schedule;
    }

    List<CortadoNode> nodes() {
        return nodes;
    }

    CortadoNode node(int index) {
        return nodes.get(index);
    }

    List<URI> apis() {
        return nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.apiAddress().getPort())).toList();
    }

    /** The first epoch whose decided snapshot block names an L1 block at or after {@code l1Block}, if decided. */
    OptionalLong firstEpochAfter(NodeStore store, long l1Block) {
        DecidedL1Heads heads = DecidedL1Heads.of(store);
        for (long e = 1; ; e++) {
            OptionalLong head = heads.l1HeadAt(schedule.snapshotHeight(e));
            if (head.isEmpty()) return OptionalLong.empty();
            if (head.getAsLong() >= l1Block) return OptionalLong.of(e);
        }
    }

    /**
     * Waits until every node, an exited one too (it keeps deciding as an observer), decided the last block of the
     * first epoch whose snapshot follows {@code l1Block}, and returns that epoch.
     */
    long awaitEpochAfter(String what, long l1Block, long timeoutMs) {
        NodeStore store = nodes.getFirst().store();
        Await.until("every node decided the epoch " + what + " took effect in", timeoutMs, () -> {
            OptionalLong e = firstEpochAfter(store, l1Block);
            return e.isPresent() && nodes.stream().allMatch(n -> n.height() >= schedule.lastHeight(e.getAsLong()));
        }, () -> heights() + ", epoch " + firstEpochAfter(store, l1Block));
        return firstEpochAfter(store, l1Block).orElseThrow();
    }

    String heights() {
        return "heights " + nodes.stream().map(n -> Long.toString(n.height())).toList();
    }

    @Override
    public void close() {
        // Nodes and followers before Anvil, so none of them polls a closed L1.
        miner.shutdownNow();
        for (CortadoNode n : nodes) n.close();
        for (NodeMarket m : markets) m.close();
        l1.close();
    }
}
