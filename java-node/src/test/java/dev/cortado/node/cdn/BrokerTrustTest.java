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
    private final List<CountingCrypto> cryptos = new ArrayList<>();
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
            CountingCrypto crypto = new CountingCrypto(new BlsPeerCrypto(TestKeys.keyPair(i)));
            cryptos.add(crypto);
            Transport t = new Transport(settings, crypto, registry, 1);
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

    /** Counts the BLS operations the network layer asks for (the handshake's included). */
    static final class CountingCrypto implements dev.cortado.node.net.PeerCrypto {
        private final BlsPeerCrypto inner;
        final java.util.concurrent.atomic.AtomicLong signs = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong verifies = new java.util.concurrent.atomic.AtomicLong();

        CountingCrypto(BlsPeerCrypto inner) {
            this.inner = inner;
        }

        @Override
        public PeerKey localKey() {
            return inner.localKey();
        }

        @Override
        public byte[] sign(byte[] digest) {
            signs.incrementAndGet();
            return inner.sign(digest);
        }

        @Override
        public boolean verify(PeerKey key, byte[] digest, byte[] signature) {
            verifies.incrementAndGet();
            return inner.verify(key, digest, signature);
        }

        @Override
        public java.util.Optional<byte[]> sharedSecret(PeerKey peer) {
            return inner.sharedSecret(peer);
        }
    }

    @Test
    void brokeredMessagesCarryTagsAndCostNoSignatureOrPairing() throws Exception {
        start(RogueBroker.Mode.RELAY);
        // Let the last handshakes finish their AUTH checks, so only what follows is counted.
        long verifies = -1;
        while (verifies != cryptos.stream().mapToLong(c -> c.verifies.get()).sum()) {
            verifies = cryptos.stream().mapToLong(c -> c.verifies.get()).sum();
            Thread.sleep(300);
        }
        long signs = cryptos.stream().mapToLong(c -> c.signs.get()).sum();
        long viaBroker = nodes.get(2).brokerSends();
        for (int i = 0; i < 20; i++) {
            nodes.get(2).broadcast(Topic.ALL, new byte[] {(byte) i});
            nodes.get(2).send(keys.get(1), new byte[] {(byte) (100 + i)});
        }
        assertEquals(viaBroker + 40, nodes.get(2).brokerSends(), "everything went through the broker");
        for (int i = 0; i < 20; i++) {
            InboundMessage m = nodes.get(0).inbox().poll(10, TimeUnit.SECONDS);
            assertEquals(keys.get(2), m.from());
            assertArrayEquals(new byte[] {(byte) i}, m.payload());
        }
        java.util.Set<Integer> atNode1 = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            InboundMessage m = nodes.get(1).inbox().poll(10, TimeUnit.SECONDS);
            assertEquals(keys.get(2), m.from());
            atNode1.add((int) m.payload()[0]);
        }
        assertEquals(40, atNode1.size());
        assertEquals(signs, cryptos.stream().mapToLong(c -> c.signs.get()).sum(), "no origin signature was made");
        assertEquals(verifies, cryptos.stream().mapToLong(c -> c.verifies.get()).sum(), "no pairing was spent on origins");
        assertEquals(0, misbehaviour(0, "forged_sender") + misbehaviour(1, "forged_sender"));
    }

    @Test
    void aTagMadeForAnotherRecipientOrWithAWrongCountIsRefused() throws Exception {
        // Key 3 is a Byzantine node on a raw broker session; it knows its own pair keys and nothing else.
        start(RogueBroker.Mode.RELAY, 4, 3);
        Transport byzantine = new Transport(TransportSettings.defaults(TransportSettings.chainIdWord(CHAIN)),
                new BlsPeerCrypto(TestKeys.keyPair(3)), new SimpleMeterRegistry(), 1);
        try {
            dev.cortado.node.net.PeerSession s = rawSession(byzantine);
            PairMacs macs = new PairMacs(TransportSettings.chainIdWord(CHAIN), byzantine.crypto(), Set.copyOf(keys));
            PeerKey me = keys.get(3);
            byte[] forNode1 = OriginEnvelope.digest(TransportSettings.chainIdWord(CHAIN), me, OriginEnvelope.directRoute(keys.get(1)),
                    new byte[] {1});
            // Positive control: a tag node 3 made for node 1 is accepted as node 3's.
            s.send(CdnCodec.encode(new CdnMessage.Direct(keys.get(1), OriginEnvelope.encode(
                    new OriginEnvelope.MacDirect(macs.tag(keys.get(1), forNode1).orElseThrow(), new byte[] {1})))));
            InboundMessage ok = nodes.get(1).inbox().poll(10, TimeUnit.SECONDS);
            assertEquals(me, ok.from());
            assertArrayEquals(new byte[] {1}, ok.payload());
            // The same envelope handed to node 2: its route and key do not match, so it is refused and quarantined.
            s.send(CdnCodec.encode(new CdnMessage.Direct(keys.get(2), OriginEnvelope.encode(
                    new OriginEnvelope.MacDirect(macs.tag(keys.get(1), forNode1).orElseThrow(), new byte[] {1})))));
            Await.until("refused at node 2", () -> misbehaviour(2, "forged_sender") == 1);
            assertNull(nodes.get(2).inbox().poll(0, TimeUnit.MILLISECONDS));
            assertTrue(nodes.get(2).activeBroker().isPresent(), "one bad sender does not make the broker a suspect");
            // A broadcast whose tag count is not the stake table's is malformed for this node, not a forgery.
            s.send(CdnCodec.encode(new CdnMessage.Broadcast(Topic.ALL, OriginEnvelope.encode(new OriginEnvelope.MacBroadcast(
                    Topic.ALL, List.of(new byte[16], new byte[16]), new byte[] {2})))));
            Await.until("bad count at node 0", () -> misbehaviour(0, "bad_envelope") == 1);
            assertEquals(0, misbehaviour(0, "forged_sender"));
            assertNull(nodes.get(0).inbox().poll(0, TimeUnit.MILLISECONDS));
        } finally {
            byzantine.close();
        }
    }

    private dev.cortado.node.net.PeerSession rawSession(Transport t) throws Exception {
        java.util.concurrent.CompletableFuture<dev.cortado.node.net.PeerSession> session = new java.util.concurrent.CompletableFuture<>();
        t.connect(broker.address(), dev.cortado.node.net.PeerAuthorizer.exactly(broker.key()), new dev.cortado.node.net.SessionEvents() {
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
        return session.get(10, TimeUnit.SECONDS);
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
