package dev.cortado.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends from a thread other than the channel's event loop are handed over once per burst, not once
 * per frame, and still arrive in order with contiguous sequence numbers (real sockets on 127.0.0.1).
 * The bursts are made deterministic by holding the sender's only event loop busy while sending.
 */
class OutboundCoalescingTest {
    private static final byte[] CHAIN = TransportSettings.chainIdWord(31337);
    private static final int MAX_FRAME = 64 * 1024;

    private final BlsPeerCrypto serverCrypto = new BlsPeerCrypto(TestKeys.keyPair(0));
    private final BlsPeerCrypto clientCrypto = new BlsPeerCrypto(TestKeys.keyPair(1));
    private final BoundedInbox<InboundMessage> inbox = new BoundedInbox<>(64);
    private Transport server;
    private Transport client;
    private DirectMesh mesh;
    private PeerKey serverKey;
    private InetSocketAddress serverAddress;

    private static TransportSettings settings(long maxPendingWriteBytes) {
        return new TransportSettings(CHAIN, MAX_FRAME, 2_000, 16 * 1024, maxPendingWriteBytes, 200, 800);
    }

    @BeforeEach
    void start() {
        server = new Transport(settings(1 << 20), serverCrypto, new SimpleMeterRegistry(), 1);
        serverKey = serverCrypto.localKey();
        Set<PeerKey> staked = Set.of(serverKey, clientCrypto.localKey());
        serverAddress = server.listen("127.0.0.1", 0, PeerAuthorizer.anyOf(staked), new InboxEvents(inbox));
    }

    private void connectClient(long maxPendingWriteBytes) {
        client = new Transport(settings(maxPendingWriteBytes), clientCrypto, new SimpleMeterRegistry(), 1);
        mesh = new DirectMesh(client, Map.of(serverKey, serverAddress));
        mesh.start();
        Await.until("mesh session", () -> mesh.connectedPeers().contains(serverKey));
    }

    @AfterEach
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** Occupies every event loop of {@code transport} until the returned latch is counted down. */
    private static CountDownLatch holdEventLoops(Transport transport) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<CountDownLatch> running = new ArrayList<>();
        for (EventExecutor loop : transport.group()) {
            CountDownLatch started = new CountDownLatch(1);
            running.add(started);
            loop.execute(() -> {
                started.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (CountDownLatch started : running) {
            assertTrue(started.await(10, TimeUnit.SECONDS), "event loop did not take the blocking task");
        }
        return release;
    }

    private static byte[] numbered(int sender, int counter) {
        return ByteBuffer.allocate(5).put((byte) sender).putInt(counter).array();
    }

    private void assertReceivedInOrder(int messages) throws InterruptedException {
        for (int i = 0; i < messages; i++) {
            InboundMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "message " + i + " never arrived");
            assertArrayEquals(numbered(0, i), m.payload());
        }
    }

    @Test
    void aBurstCostsOneHandOffAndOneFlush() throws InterruptedException {
        connectClient(1 << 20);
        int burst = 500;
        CountDownLatch release = holdEventLoops(client);
        long handoffsBefore = client.metrics().outboundHandoffs();
        long flushesBefore = client.metrics().outboundFlushes();
        long framesBefore = client.metrics().framesSent();
        for (int i = 0; i < burst; i++) {
            assertTrue(mesh.send(serverKey, numbered(0, i)));
        }
        release.countDown();
        assertReceivedInOrder(burst);
        assertEquals(1, client.metrics().outboundHandoffs() - handoffsBefore, "hand-offs for a burst of " + burst);
        assertEquals(1, client.metrics().outboundFlushes() - flushesBefore, "flushes for a burst of " + burst);
        assertEquals(burst, client.metrics().framesSent() - framesBefore);
        assertEquals(0, server.metrics().refusedTotal(), "sequence numbers must stay contiguous");
    }

    @Test
    void sendsThatAreNotABurstStillHandOffEach() throws InterruptedException {
        // The counter counts hand-offs, not bursts: spaced sends (each waits for the previous to
        // arrive) cost one each, so the burst test above measures the coalescing.
        connectClient(1 << 20);
        long handoffsBefore = client.metrics().outboundHandoffs();
        for (int i = 0; i < 20; i++) {
            assertTrue(mesh.send(serverKey, numbered(0, i)));
            InboundMessage m = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertArrayEquals(numbered(0, i), m.payload());
        }
        assertEquals(20, client.metrics().outboundHandoffs() - handoffsBefore);
    }

    @Test
    void concurrentSendersKeepEachOnesOrder() throws Exception {
        connectClient(1 << 20);
        int senders = 4;
        int perSender = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> done = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                done.add(pool.submit(() -> {
                    go.await();
                    boolean allAccepted = true;
                    for (int i = 0; i < perSender; i++) {
                        allAccepted &= mesh.send(serverKey, numbered(sender, i));
                    }
                    return allAccepted;
                }));
            }
            go.countDown();
            int[] next = new int[senders];
            for (int received = 0; received < senders * perSender; received++) {
                InboundMessage m = inbox.poll(10, TimeUnit.SECONDS);
                assertNotNull(m, "only " + received + " messages arrived");
                ByteBuffer b = ByteBuffer.wrap(m.payload());
                int sender = b.get();
                assertEquals(next[sender], b.getInt(), "sender " + sender + "'s messages out of order");
                next[sender]++;
            }
            for (Future<Boolean> f : done) {
                assertTrue(f.get(10, TimeUnit.SECONDS), "a send was refused below the limit");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, server.metrics().refusedTotal(), "sequence numbers must stay contiguous");
        assertTrue(client.metrics().outboundHandoffs() <= senders * perSender);
    }

    @Test
    void aStalledEventLoopCannotQueuePastTheHardLimit() throws InterruptedException {
        long limitBytes = 32 * 1024;
        connectClient(limitBytes);
        byte[] payload = new byte[1_000];
        CountDownLatch release = holdEventLoops(client);
        long droppedBefore = client.metrics().droppedOutboundCount();
        int accepted = 0;
        while (mesh.send(serverKey, payload)) {
            accepted++;
            assertTrue(accepted <= limitBytes / payload.length, "queued past the limit: " + accepted + " frames");
        }
        assertTrue(accepted >= limitBytes / (2 * payload.length), "refused well below the limit: " + accepted + " frames");
        assertEquals(1, client.metrics().droppedOutboundCount() - droppedBefore);
        assertFalse(mesh.send(serverKey, payload), "still full while the loop is held");
        release.countDown();
        for (int i = 0; i < accepted; i++) {
            assertNotNull(inbox.poll(10, TimeUnit.SECONDS), "accepted frame " + i + " never arrived");
        }
        // Draining frees the budget again.
        assertTrue(mesh.send(serverKey, payload));
        assertNotNull(inbox.poll(10, TimeUnit.SECONDS));
        assertEquals(0, server.metrics().refusedTotal());
    }
}
