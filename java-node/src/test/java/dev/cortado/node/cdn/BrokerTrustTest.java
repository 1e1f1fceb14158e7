package dev.cortado.node.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.BoundedInbox;
import dev.cortado.node.net.InboundMessage;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.RogueBroker;
import dev.cortado.node.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fault 9 on real sockets: a broker that forges senders or stops relaying, against three node networks. */
class BrokerTrustTest {
    private static final long CHAIN = 7;
    private final List<NodeNetwork> nodes = new ArrayList<>();
    private final List<SimpleMeterRegistry> registries = new ArrayList<>();
    private final List<PeerKey> keys = new ArrayList<>();
    private RogueBroker broker;

    @AfterEach
    void stop() {
        nodes.forEach(NodeNetwork::close);
        if (broker != null) {
            broker.close();
        }
    }

    private void start(RogueBroker.Mode mode) {
        start(mode, 3, 3);
    }

    /** {@code staked} keys in the stake table; the first {@code running} of them run a node network. */
    private void start(RogueBroker.Mode mode, int staked, int running) {
        for (int i = 0; i < staked; i++) {
            keys.add(BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()));
        }
        Set<PeerKey> stake = Set.copyOf(keys);
        broker = new RogueBroker(CHAIN, TestKeys.keyPair(70), stake, mode);
        BrokerEndpoint endpoint = new BrokerEndpoint(broker.key(), broker.start(0));
        TransportSettings settings = TransportSettings.defaults(TransportSettings.chainIdWord(CHAIN));
        Map<PeerKey, InetSocketAddress> addresses = new HashMap<>();
        for (int i = 0; i < running; i++) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Transport t = new Transport(settings, new BlsPeerCrypto(TestKeys.keyPair(i)), registry, 1);
            NodeNetwork net = new NodeNetwork(t, stake, Set.of(keys.get(0)), List.of(endpoint), true, new BoundedInbox<>(1024), registry);
            addresses.put(keys.get(i), net.listen("127.0.0.1", 0));
            nodes.add(net);
            registries.add(registry);
        }
        for (NodeNetwork net : nodes) {
            Map<PeerKey, InetSocketAddress> peers = new HashMap<>(addresses);
            peers.remove(net.self());
            net.connect(peers);
        }
        for (NodeNetwork net : nodes) {
            Await.until("mesh and broker up", () -> net.connectedPeers().size() == running - 1 && net.activeBroker().isPresent());
        }
        Await.until("all subscribed", () -> broker.sessions().size() == running);
    }

    private double misbehaviour(int node, String kind) {
        var c = registries.get(node).find("cortado_misbehaviour_total").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void forgedSenderIsRejectedCountedAndTheBrokerDropped() throws Exception {
        start(RogueBroker.Mode.RELAY);
        // Honest relay first: the origin signature checks out and the stamped sender is the real one.
        nodes.get(2).broadcast(Topic.ALL, new byte[] {1, 2});
        InboundMessage honest = nodes.get(1).inbox().poll(10, TimeUnit.SECONDS);
        assertEquals(keys.get(2), honest.from());
        assertArrayEquals(new byte[] {1, 2}, honest.payload());
        assertEquals(keys.get(2), nodes.get(0).inbox().poll(10, TimeUnit.SECONDS).from());

        // Now the broker claims node 0 said what node 2 says.
        broker.forge(keys.get(2), keys.get(0));
        nodes.get(2).broadcast(Topic.ALL, new byte[] {3});
        Await.until("forgery counted at node 1", () -> misbehaviour(1, "forged_sender") == 1);
        assertEquals(1, nodes.get(1).forgedDeliveries());
        assertTrue(broker.forged() >= 1);
        assertNull(nodes.get(1).inbox().poll(0, TimeUnit.MILLISECONDS), "the forged message never reaches the node");
        // Node 0 refuses a message stamped with its own key just the same.
        Await.until("forgery counted at node 0", () -> misbehaviour(0, "forged_sender") == 1);
        assertNull(nodes.get(0).inbox().poll(0, TimeUnit.MILLISECONDS));
        // The lying broker is suspected at once: node 1 sends directly, and what it sends still arrives.
        assertTrue(nodes.get(1).activeBroker().isEmpty());
        assertEquals(1, nodes.get(1).brokerSuspicions());
        nodes.get(1).broadcast(Topic.ALL, new byte[] {4});
        InboundMessage direct = nodes.get(2).inbox().poll(10, TimeUnit.SECONDS);
        assertEquals(keys.get(1), direct.from());
        assertArrayEquals(new byte[] {4}, direct.payload());
    }

    @Test
    void aByzantineNodeSigningJunkThroughAnHonestBrokerIsQuarantinedAndTheBrokerKept() throws Exception {
        // Four staked keys (so one Byzantine node is tolerated); key 3 is a Byzantine node on a raw session.
        start(RogueBroker.Mode.RELAY, 4, 3);
        Transport byzantine = new Transport(TransportSettings.defaults(TransportSettings.chainIdWord(CHAIN)),
                new BlsPeerCrypto(TestKeys.keyPair(3)), new SimpleMeterRegistry(), 1);
        try {
            java.util.concurrent.CompletableFuture<dev.cortado.node.net.PeerSession> session = new java.util.concurrent.CompletableFuture<>();
            byzantine.connect(broker.address(), dev.cortado.node.net.PeerAuthorizer.exactly(broker.key()),
                    new dev.cortado.node.net.SessionEvents() {
                        @Override
                        public void onOpen(dev.cortado.node.net.PeerSession s) {
                            session.complete(s);
                        }

                        @Override
                        public boolean onMessage(dev.cortado.node.net.PeerSession s, byte[] payload) {
                            return true;
                        }

                        @Override
                        public void whenSpace(Runnable wake) {
                            wake.run();
                        }

                        @Override
                        public void onClosed(dev.cortado.node.net.PeerSession s, String reason) {}
                    });
            dev.cortado.node.net.PeerSession s = session.get(10, TimeUnit.SECONDS);
            byte[] junk = OriginEnvelope.encode(new OriginEnvelope.SignedBroadcast(Topic.ALL, new byte[48], new byte[] {7}));
            for (int i = 0; i < 5; i++) {
                s.send(CdnCodec.encode(new CdnMessage.Broadcast(Topic.ALL, junk)));
            }
            Await.until("junk seen by node 1", () -> registries.get(1).counter("cortado.cdn.quarantined").count() == 4);
            // One pairing failed, the other four were dropped unverified; the broker is not blamed.
            assertEquals(1, misbehaviour(1, "forged_sender"));
            assertEquals(0, nodes.get(1).brokerSuspicions());
            assertTrue(nodes.get(1).activeBroker().isPresent());
            assertNull(nodes.get(1).inbox().poll(0, TimeUnit.MILLISECONDS));
            // Honest nodes' messages still go through it.
            long viaBroker = nodes.get(2).brokerSends();
            nodes.get(2).broadcast(Topic.ALL, new byte[] {8});
            assertEquals(viaBroker + 1, nodes.get(2).brokerSends());
            InboundMessage m = nodes.get(1).inbox().poll(10, TimeUnit.SECONDS);
            assertEquals(keys.get(2), m.from());
            assertArrayEquals(new byte[] {8}, m.payload());
        } finally {
            byzantine.close();
        }
    }

    @Test
    void plainGossipIsAttributedToTheBrokerNotToANode() throws Exception {
        start(RogueBroker.Mode.RELAY);
        nodes.get(2).broadcastPlain(Topic.ALL, new byte[] {9});
        InboundMessage m = nodes.get(1).inbox().poll(10, TimeUnit.SECONDS);
        assertEquals(broker.key(), m.from());
        assertArrayEquals(new byte[] {9}, m.payload());
        assertEquals(0, misbehaviour(1, "forged_sender"));
    }

    @Test
    void muteBrokerIsLeftWhenViewsStallAndUsedAgainOnceItRelays() throws Exception {
        start(RogueBroker.Mode.MUTE);
        for (NodeNetwork n : nodes) {
            n.fallBackAfterStallMs(300);
            n.viewIs(1);
        }
        // The broker keeps the session alive (pings) but relays nothing, and views do not move.
        Await.until("node 2 leaves the mute broker", () -> nodes.get(2).activeBroker().isEmpty());
        assertTrue(nodes.get(2).connectedBroker().isPresent(), "the session to the mute broker is still open");
        nodes.get(2).broadcast(Topic.ALL, new byte[] {5});
        assertArrayEquals(new byte[] {5}, nodes.get(0).inbox().poll(10, TimeUnit.SECONDS).payload());
        assertArrayEquals(new byte[] {5}, nodes.get(1).inbox().poll(10, TimeUnit.SECONDS).payload());
        assertEquals(0, broker.relayed());

        // It relays again: the node's probe comes back after the suspicion period and it returns.
        broker.mode(RogueBroker.Mode.RELAY);
        Await.until("node 2 back on the broker", () -> nodes.get(2).activeBroker().isPresent());
        nodes.get(2).viewIs(2);
        long viaBroker = nodes.get(2).brokerSends();
        nodes.get(2).broadcast(Topic.ALL, new byte[] {6});
        assertEquals(viaBroker + 1, nodes.get(2).brokerSends(), "the broadcast went through the broker");
        assertArrayEquals(new byte[] {6}, nodes.get(0).inbox().poll(10, TimeUnit.SECONDS).payload());
    }
}
