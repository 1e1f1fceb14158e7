package dev.cortado.node.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.BoundedInbox;
import dev.cortado.node.net.InboundMessage;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes and brokers on 127.0.0.1: relaying, topic filtering, fallback to direct and return. */
class CdnTest {
    private static final TransportSettings SETTINGS = TransportSettings.defaults(TransportSettings.chainIdWord(7));
    private final List<NodeNetwork> nodes = new ArrayList<>();
    private final List<Broker> brokers = new ArrayList<>();
    private final List<PeerKey> keys = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(NodeNetwork::close);
        brokers.forEach(Broker::close);
    }

    private Broker broker(int keyIndex, int port, Set<PeerKey> stake) {
        Broker b = new Broker(SETTINGS, new BlsPeerCrypto(TestKeys.keyPair(keyIndex)), PeerAuthorizer.anyOf(stake),
                new SimpleMeterRegistry(), 1);
        b.start("127.0.0.1", port);
        brokers.add(b);
        return b;
    }

    /** Starts n nodes; node 0 and 1 form the DA committee. */
    private void startNodes(int n, List<BrokerEndpoint> endpoints) {
        for (int i = 0; i < n; i++) {
            keys.add(BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()));
        }
        Set<PeerKey> stake = Set.copyOf(keys);
        Map<PeerKey, InetSocketAddress> addresses = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Transport t = new Transport(SETTINGS, new BlsPeerCrypto(TestKeys.keyPair(i)), new SimpleMeterRegistry(), 1);
            NodeNetwork net = new NodeNetwork(t, stake, Set.of(keys.get(0), keys.get(1)), endpoints, true,
                    new BoundedInbox<>(1024), new SimpleMeterRegistry());
            addresses.put(keys.get(i), net.listen("127.0.0.1", 0));
            nodes.add(net);
        }
        for (NodeNetwork net : nodes) {
            Map<PeerKey, InetSocketAddress> peers = new HashMap<>(addresses);
            peers.remove(net.self());
            net.connect(peers);
        }
        for (NodeNetwork net : nodes) {
            Await.until("mesh up", () -> net.connectedPeers().size() == n - 1);
        }
    }

    private static InboundMessage next(NodeNetwork net) throws InterruptedException {
        return net.inbox().poll(10, TimeUnit.SECONDS);
    }

    @Test
    void brokerRelaysTopicsAndDirectMessagesThenNodesFallBackAndReturn() throws Exception {
        Set<PeerKey> stake = Set.of(0, 1, 2).stream().map(i -> BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()))
                .collect(Collectors.toSet());
        Broker broker = broker(50, 0, stake);
        int port = broker.address().getPort();
        BrokerEndpoint endpoint = new BrokerEndpoint(broker.key(), broker.address());
        startNodes(3, List.of(endpoint));
        for (NodeNetwork net : nodes) {
            Await.until("broker in use", () -> net.activeBroker().isPresent());
        }
        Await.until("all subscribed", () -> broker.subscribedNodes().size() == 3);

        nodes.get(2).broadcast(Topic.ALL, new byte[] {1});
        for (int i = 0; i < 2; i++) {
            InboundMessage m = next(nodes.get(i));
            assertEquals(keys.get(2), m.from());
            assertArrayEquals(new byte[] {1}, m.payload());
        }
        // DA topic: only nodes 0 and 1 subscribed.
        nodes.get(2).broadcast(Topic.DA_COMMITTEE, new byte[] {2});
        assertArrayEquals(new byte[] {2}, next(nodes.get(0)).payload());
        assertArrayEquals(new byte[] {2}, next(nodes.get(1)).payload());
        assertTrue(nodes.get(0).send(keys.get(1), new byte[] {3}));
        InboundMessage direct = next(nodes.get(1));
        assertEquals(keys.get(0), direct.from());
        assertArrayEquals(new byte[] {3}, direct.payload());
        assertEquals(0, nodes.get(2).inbox().size(), "node 2 is not in the DA committee and not the recipient");
        assertEquals(5, broker.relayedCount());
        assertEquals(0, nodes.get(2).directSends());

        // The broker dies: sends fall back to the direct mesh and keep arriving.
        broker.close();
        brokers.remove(broker);
        Await.until("fallback", () -> nodes.get(2).activeBroker().isEmpty());
        nodes.get(2).broadcast(Topic.ALL, new byte[] {4});
        assertArrayEquals(new byte[] {4}, next(nodes.get(0)).payload());
        assertArrayEquals(new byte[] {4}, next(nodes.get(1)).payload());
        assertEquals(1, nodes.get(2).directSends());

        // It comes back on the same address: nodes return to it.
        Broker revived = broker(50, port, stake);
        // Connected is not enough: a broadcast reaches only nodes whose subscription the broker has processed.
        Await.until("back on broker", () -> nodes.stream().allMatch(n -> n.activeBroker().isPresent())
                && revived.subscribedNodes().size() == 3);
        nodes.get(1).broadcast(Topic.ALL, new byte[] {5});
        assertArrayEquals(new byte[] {5}, next(nodes.get(0)).payload());
        assertArrayEquals(new byte[] {5}, next(nodes.get(2)).payload());
        assertEquals(2, revived.relayedCount());
        assertEquals(0, nodes.get(1).directSends());
    }

    @Test
    void nodeUsesAnyReachableBrokerInListOrder() throws Exception {
        Set<PeerKey> stake = Set.of(0, 1).stream().map(i -> BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()))
                .collect(Collectors.toSet());
        Broker first = broker(60, 0, stake);
        Broker second = broker(61, 0, stake);
        List<BrokerEndpoint> endpoints = List.of(new BrokerEndpoint(first.key(), first.address()),
                new BrokerEndpoint(second.key(), second.address()));
        startNodes(2, endpoints);
        Await.until("on first broker", () -> nodes.stream().allMatch(n -> n.activeBroker().equals(java.util.Optional.of(endpoints.get(0))))
                && first.subscribedNodes().size() == 2 && second.subscribedNodes().size() == 2);
        first.close();
        brokers.remove(first);
        Await.until("moved to second", () -> nodes.stream().allMatch(n -> n.activeBroker().equals(java.util.Optional.of(endpoints.get(1)))));
        nodes.get(0).broadcast(Topic.ALL, new byte[] {9});
        assertArrayEquals(new byte[] {9}, next(nodes.get(1)).payload());
        assertEquals(1, second.relayedCount());
        assertNull(nodes.get(1).inbox().poll(0, TimeUnit.MILLISECONDS));
    }
}
