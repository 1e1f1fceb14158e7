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
import dev.cortado.node.runtime.NodeSettings;
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

/**
 * The devnet's HotShot network: one CDN broker and one node per validator, all in this JVM on
 * 127.0.0.1, each node with its own RocksDB folder. Nodes talk through the broker and fall back to
 * direct connections when it is down, exactly as separate processes would.
 */
public final class DevnetNetwork implements AutoCloseable {
    /** The broker's key: derived from a public seed like the validators', for the devnet only. */
    private static final int BROKER_KEY_INDEX = 1_000;

    private final Broker broker;
    private final List<CortadoNode> nodes;

    private DevnetNetwork(Broker broker, List<CortadoNode> nodes) {
        this.broker = broker;
        this.nodes = List.copyOf(nodes);
    }

    /** Starts the broker and every validator's node; node data lives under {@code dataDir}, wiped first. */
    public static DevnetNetwork start(DevnetValidators validators, long hotShotChainId, Path dataDir) throws IOException {
        wipe(dataDir);
        List<PeerEntry> table = new ArrayList<>();
        List<StakeEntry> entries = validators.table().entries();
        for (StakeEntry e : entries) {
            table.add(new PeerEntry(BlsPeerCrypto.peerKey(e.key()), new InetSocketAddress("127.0.0.1", freePort()),
                    e.stakeGwei(), e.daMember()));
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
        try {
            for (int i = 0; i < entries.size(); i++) {
                NodeSettings settings = new NodeSettings(hotShotChainId, validators.keys().get(i), table, brokers, true,
                        dataDir.resolve("node" + i), table.get(i).address(), new InetSocketAddress("127.0.0.1", 0),
                        1_000, 8_000, DevnetConfig.MAX_BLOCK_BYTES, 4 << 20, 10_000,
                        new MempoolLimits(DevnetConfig.MAX_BLOCK_BYTES, 8L << 20, 32L << 20, 100_000), DevnetConfig.MAX_REQUEST_BYTES,
                        true, 1_000, 100, true);
                CortadoNode node = new CortadoNode(settings);
                nodes.add(node);
                node.start();
            }
        } catch (RuntimeException e) {
            nodes.forEach(CortadoNode::close);
            broker.close();
            throw e;
        }
        return new DevnetNetwork(broker, nodes);
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

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
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
