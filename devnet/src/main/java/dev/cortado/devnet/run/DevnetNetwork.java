package dev.cortado.devnet.run;

import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.cdn.Broker;
import dev.cortado.node.config.BrokerEntry;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.NodeEpochs;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.l1.L1FollowerService;
import dev.cortado.node.l1.L1Settings;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The devnet's HotShot network: one CDN broker and one node per validator, all in this JVM on
 * 127.0.0.1, each node with its own RocksDB folder. Nodes talk through the broker and fall back to
 * direct connections when it is down, exactly as separate processes would.
 */
public final class DevnetNetwork implements AutoCloseable {
    /** The broker's key: derived from a public seed like the validators', for the devnet only. */
    private static final int BROKER_KEY_INDEX = 1_000;
    /** Blocks every node decides before the demo traffic starts. */
    static final long LIVE_HEIGHT = 3;
    private static final long LIVE_TIMEOUT_MS = 120_000;

    private final Broker broker;
    private final List<CortadoNode> nodes;
    private final List<NodeMarket> markets;

    private DevnetNetwork(Broker broker, List<CortadoNode> nodes, List<NodeMarket> markets) {
        this.broker = broker;
        this.nodes = List.copyOf(nodes);
        this.markets = List.copyOf(markets);
    }

    /**
     * Starts the broker and every validator's node (the joiners as peers without stake); node data lives under
     * {@code dataDir}, wiped first. Each node follows L1 with {@code l1}: the marketplace (admission, bundles) and,
     * with a schedule, StakeTable.sol for every epoch's table, as {@code cortado node} does with {@code [epochs]}.
     */
    public static DevnetNetwork start(DevnetValidators validators, long hotShotChainId, Path dataDir, L1Settings l1,
            Optional<EpochSchedule> epochs) throws IOException {
        return start(validators, hotShotChainId, dataDir, Optional.of(l1), epochs);
    }

    /** The nodes alone, following no L1 and running the genesis table (for tests that attach what they need). */
    public static DevnetNetwork start(DevnetValidators validators, long hotShotChainId, Path dataDir) throws IOException {
        return start(validators, hotShotChainId, dataDir, Optional.empty(), Optional.empty());
    }

    private static DevnetNetwork start(DevnetValidators validators, long hotShotChainId, Path dataDir,
            Optional<L1Settings> l1Settings, Optional<EpochSchedule> epochs) throws IOException {
        if (epochs.isPresent() && l1Settings.isEmpty()) throw new IllegalArgumentException("epochs read their tables from L1");
        if (validators.joiners() > 0 && epochs.isEmpty()) {
            throw new IllegalArgumentException("a node without stake joins only through epochs");
        }
        wipe(dataDir);
        List<PeerEntry> table = new ArrayList<>();
        List<StakeEntry> entries = validators.table().entries();
        for (int i = 0; i < validators.keys().size(); i++) {
            boolean staked = i < entries.size();
            // A joiner is configured with no stake and outside the DA committee, which stays the genesis one.
            table.add(new PeerEntry(BlsPeerCrypto.peerKey(validators.keys().get(i).publicKey()),
                    new InetSocketAddress("127.0.0.1", freePort()), staked ? entries.get(i).stakeGwei() : 0,
                    staked && entries.get(i).daMember()));
        }
        BlsKeyPair brokerKey = DevnetValidators.keyPair(BROKER_KEY_INDEX);
        int brokerPort = freePort();
        HashSet<PeerKey> members = new HashSet<>();
        table.forEach(p -> members.add(p.publicKey()));
        Broker broker = new Broker(TransportSettings.defaults(TransportSettings.chainIdWord(hotShotChainId)),
                new BlsPeerCrypto(brokerKey), PeerAuthorizer.anyOf(members), new SimpleMeterRegistry(), 1);
        broker.start("127.0.0.1", brokerPort);
        List<BrokerEntry> brokers = List.of(new BrokerEntry(BlsPeerCrypto.peerKey(brokerKey.publicKey()),
                new InetSocketAddress("127.0.0.1", brokerPort)));

        List<CortadoNode> nodes = new ArrayList<>();
        List<NodeMarket> markets = new ArrayList<>();
        try {
            for (int i = 0; i < table.size(); i++) {
                NodeSettings settings = new NodeSettings(hotShotChainId, validators.keys().get(i), table, brokers, true,
                        dataDir.resolve("node" + i), table.get(i).address(), new InetSocketAddress("127.0.0.1", 0),
                        1_000, 8_000, DevnetConfig.MAX_BLOCK_BYTES, 4 << 20, 10_000,
                        new MempoolLimits(DevnetConfig.MAX_BLOCK_BYTES, 8L << 20, 32L << 20, 100_000), DevnetConfig.MAX_REQUEST_BYTES,
                        true, 1_000, 100, true);
                if (l1Settings.isEmpty()) {
                    CortadoNode node = new CortadoNode(settings);
                    nodes.add(node);
                    node.start();
                    continue;
                }
                L1Settings l1 = l1Settings.get();
                // With epochs the node's tables read the follower, so it opens first; the market then closes it.
                L1FollowerService follower = L1FollowerService.open(l1, settings.dataDir()).start();
                CortadoNode node;
                try {
                    node = epochs.isPresent() ? new CortadoNode(settings, new NodeEpochs.FromL1(epochs.get(), follower.follower()))
                            : new CortadoNode(settings);
                } catch (RuntimeException e) {
                    follower.close();
                    throw e;
                }
                nodes.add(node);
                node.start();
                NodeMarket market = NodeMarket.attach(node.apiServer(), follower);
                markets.add(market);
                node.followL1(market.state(), l1.maxL1LeadBlocks(), l1.chainId(), Address.fromHex(l1.marketplace()),
                        l1.silenceSlots());
                node.takeBundles(market.admission(), market.bundles());
            }
        } catch (RuntimeException e) {
            closeAll(nodes, markets, broker);
            throw e;
        }
        return new DevnetNetwork(broker, nodes, markets);
    }

    /**
     * Waits until every node has decided a few blocks before any demo transaction is sent: users come to a live
     * network, and latency measured from the first transaction on is the running network's, not its start-up's
     * (the nodes joining, their L1 followers' first reads), which would otherwise own the whole run's tail.
     */
    void awaitLive(java.io.PrintStream console, Path nodesDir) throws InterruptedException {
        long startMs = System.currentTimeMillis();
        console.printf("waiting for every node to decide its first %d blocks ...%n", LIVE_HEIGHT);
        while (lowestHeight() < LIVE_HEIGHT) {
            if (System.currentTimeMillis() - startMs > LIVE_TIMEOUT_MS) {
                throw new IllegalStateException("the nodes did not all reach height " + LIVE_HEIGHT + " within "
                        + LIVE_TIMEOUT_MS / 1000 + " s (lowest " + lowestHeight() + ", highest " + height()
                        + "); see the node logs under " + nodesDir);
            }
            Thread.sleep(100);
        }
        console.printf("network live: every node at height %d or more after %.1f s%n", LIVE_HEIGHT,
                (System.currentTimeMillis() - startMs) / 1000.0);
    }

    public List<CortadoNode> nodes() {
        return nodes;
    }

    /** Each node's HTTP API base URL, in stake-table order. */
    public List<URI> apiUrls() {
        return nodes.stream()
                .map(n -> URI.create("http://127.0.0.1:" + n.apiAddress().getPort()))
                .toList();
    }

    /** The highest height any node has decided, or -1 before the first decision. */
    public long height() {
        return nodes.stream().mapToLong(CortadoNode::height).max().orElse(-1);
    }

    /** The lowest height every node has decided, or -1 while some node has decided nothing. */
    public long lowestHeight() {
        return nodes.stream().mapToLong(CortadoNode::height).min().orElse(-1);
    }

    /** Each node's marketplace follower and bundle pool, in stake-table order. */
    public List<NodeMarket> markets() {
        return markets;
    }

    @Override
    public void close() {
        closeAll(nodes, markets, broker);
    }

    /** Nodes first (a node's tables read its follower), then the markets and their followers, then the broker. */
    private static void closeAll(List<CortadoNode> nodes, List<NodeMarket> markets, Broker broker) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        for (int i = markets.size() - 1; i >= 0; i--) {
            markets.get(i).close();
        }
        broker.close();
    }

    private static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    private static int freePort() {
        return LoopbackPorts.pick();
    }
}
