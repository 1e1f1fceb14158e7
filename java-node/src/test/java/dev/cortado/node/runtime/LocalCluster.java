package dev.cortado.node.runtime;

import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.cdn.Broker;
import dev.cortado.node.config.BrokerEntry;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.crypto.BlsKeyPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** n nodes (and optionally a broker) in this JVM on 127.0.0.1, with fresh RocksDB directories. */
final class LocalCluster implements AutoCloseable {
    static final long CHAIN_ID = 4242;
    final List<NodeSettings> settings = new ArrayList<>();
    final CortadoNode[] nodes;
    Broker broker;
    final int brokerPort;
    /** The stake-table epochs every node started from now on runs (issue 14); none by default. */
    dev.cortado.node.consensus.Epochs epochs = dev.cortado.node.consensus.Epochs.NONE;
    /** When set, node i's tables instead (its own L1 follower, say); wins over {@link #epochs}. */
    java.util.function.IntFunction<NodeEpochs> nodeEpochs;

    LocalCluster(int n, Path dir, boolean withBroker) {
        this(n, dir, withBroker, n);
    }

    /** Nodes {@code 0..daMembers-1} form the DA committee. */
    LocalCluster(int n, Path dir, boolean withBroker, int daMembers) {
        this(n, dir, withBroker, daMembers, withBroker);
    }

    /**
     * @param startBroker whether to start the real broker; without it the nodes are still configured
     *     with one at {@link #brokerPort} (key 100), where a test may run a broker of its own
     */
    LocalCluster(int n, Path dir, boolean withBroker, int daMembers, boolean startBroker) {
        this(dir, withBroker, startBroker, java.util.stream.IntStream.range(0, n).mapToLong(i -> 1).toArray(),
                java.util.stream.IntStream.range(0, n).mapToObj(i -> i < daMembers).toArray(Boolean[]::new));
    }

    /** Node i has {@code stakeGwei[i]} at genesis (0: joins in a later epoch, so the cluster needs epochs) and {@code da[i]}. */
    LocalCluster(Path dir, boolean withBroker, boolean startBroker, long[] stakeGwei, Boolean[] da) {
        int n = stakeGwei.length;
        List<PeerEntry> table = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            table.add(new PeerEntry(BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()),
                    new InetSocketAddress("127.0.0.1", freePort()), stakeGwei[i], da[i]));
        }
        BlsKeyPair brokerKey = TestKeys.keyPair(100);
        brokerPort = freePort();
        List<BrokerEntry> brokers = withBroker
                ? List.of(new BrokerEntry(BlsPeerCrypto.peerKey(brokerKey.publicKey()), new InetSocketAddress("127.0.0.1", brokerPort)))
                : List.of();
        for (int i = 0; i < n; i++) {
            settings.add(new NodeSettings(CHAIN_ID, TestKeys.keyPair(i), table, brokers, withBroker, dir.resolve("node" + i),
                    table.get(i).address(), new InetSocketAddress("127.0.0.1", 0), 1_000, 8_000, 1 << 20, 4 << 20, 10_000,
                    new MempoolLimits(1 << 20, 8L << 20, 32L << 20, 100_000), 4 << 20, true, 1_000, 50, true));
        }
        nodes = new CortadoNode[n];
        if (startBroker) {
            startBroker();
        }
    }

    void startBroker() {
        HashSet<PeerKey> keys = new HashSet<>();
        settings.getFirst().table().forEach(e -> keys.add(e.publicKey()));
        broker = new Broker(TransportSettings.defaults(TransportSettings.chainIdWord(CHAIN_ID)),
                new BlsPeerCrypto(TestKeys.keyPair(100)), PeerAuthorizer.anyOf(keys), new SimpleMeterRegistry(), 1);
        broker.start("127.0.0.1", brokerPort);
    }

    void stopBroker() {
        broker.close();
        broker = null;
    }

    CortadoNode start(int i) {
        return start(i, NodeClock.system());
    }

    /** Starts node {@code i} on its own clock (a skewed wall clock, for the timestamp drift rule). */
    CortadoNode start(int i, NodeClock clock) {
        NodeEpochs e = nodeEpochs != null ? nodeEpochs.apply(i) : epochs == dev.cortado.node.consensus.Epochs.NONE
                ? NodeEpochs.NONE : new NodeEpochs.Fixed(epochs, java.util.Optional.empty());
        nodes[i] = new CortadoNode(settings.get(i), clock, e);
        nodes[i].start();
        return nodes[i];
    }

    void startAll() {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
    }

    void stop(int i) {
        nodes[i].close();
        nodes[i] = null;
    }

    static int freePort() {
        return LoopbackPorts.pick();
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                stop(i);
            }
        }
        if (broker != null) {
            stopBroker();
        }
    }
}
