package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.net.PeerKey;
import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.RogueBroker;
import dev.cortado.node.testing.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 9 with four full nodes on real sockets and a broker that lies: one that keeps its sessions
 * alive but relays nothing, and one that stamps a node's messages with another node's key.
 */
class BrokerFaultNetworkTest {
    @TempDir Path dir;

    private static Set<PeerKey> stake(LocalCluster c) {
        Set<PeerKey> keys = new HashSet<>();
        c.settings.getFirst().table().forEach(e -> keys.add(e.publicKey()));
        return keys;
    }

    private static long minHeight(LocalCluster c) {
        return Arrays.stream(c.nodes).mapToLong(CortadoNode::height).min().orElseThrow();
    }

    private static double forgedSeen(CortadoNode n) {
        var counter = n.registry.find("cortado_misbehaviour_total").tag("kind", "forged_sender").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aBrokerThatAnswersPingsButRelaysNothingDoesNotStallTheNetwork() {
        try (LocalCluster c = new LocalCluster(4, dir, true, 4, false);
                RogueBroker broker = new RogueBroker(LocalCluster.CHAIN_ID, TestKeys.keyPair(100), stake(c), RogueBroker.Mode.MUTE)) {
            broker.start(c.brokerPort);
            c.startAll();
            Await.until("every node connected to the mute broker", () -> broker.sessions().size() == 4);
            Await.until("all four deciding despite the mute broker", Duration.ofSeconds(45), () -> minHeight(c) >= 3);
            // A node suspects the broker when its own traffic through it goes unanswered, which on a loaded machine
            // can come a little after the others already decided height 3 over direct links: wait for it.
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " stopped sending through the mute broker", Duration.ofSeconds(15),
                        () -> n.network().activeBroker().isEmpty());
                assertTrue(n.network().connectedBroker().isPresent(), "node " + n.index() + " still holds the broker session");
                assertTrue(n.network().brokerSuspicions() >= 1);
            }
            assertEquals(0, broker.relayed());
            long h = minHeight(c);
            Await.until("still deciding", Duration.ofSeconds(30), () -> minHeight(c) >= h + 3);
        }
    }

    @Test
    void aBrokerThatForgesASenderIsCaughtAndTheNetworkKeepsDeciding() {
        try (LocalCluster c = new LocalCluster(4, dir, true, 4, false);
                RogueBroker broker = new RogueBroker(LocalCluster.CHAIN_ID, TestKeys.keyPair(100), stake(c), RogueBroker.Mode.RELAY)) {
            broker.start(c.brokerPort);
            c.startAll();
            Await.until("deciding through the broker", Duration.ofSeconds(45), () -> minHeight(c) >= 3
                    && Arrays.stream(c.nodes).allMatch(n -> n.network().activeBroker().isPresent()));
            assertTrue(broker.relayed() > 0);
            for (CortadoNode n : c.nodes) {
                assertEquals(0, forgedSeen(n), "an honest broker is never taken for a forger");
            }

            // From now on what node 2 sends arrives stamped as node 0.
            PeerKey n0 = c.settings.get(0).table().get(0).publicKey();
            PeerKey n2 = c.settings.get(0).table().get(2).publicKey();
            broker.forge(n2, n0);
            Await.until("forgery counted in cortado_misbehaviour_total", Duration.ofSeconds(30),
                    () -> Arrays.stream(c.nodes).filter(n -> n.index() != 2).anyMatch(n -> forgedSeen(n) >= 1));
            assertTrue(broker.forged() >= 1);
            String metrics = c.nodes[0].registry.scrape();
            long h = minHeight(c);
            Await.until("deciding after the forgery", Duration.ofSeconds(45), () -> minHeight(c) >= h + 3);
            assertTrue(Arrays.stream(c.nodes).anyMatch(n -> n.registry.scrape().contains("cortado_misbehaviour_total{kind=\"forged_sender\"}")),
                    metrics);
        }
    }
}
