package dev.cortado.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1: a listening node refuses bad peers and keeps serving good ones. */
class TransportTest {
    private static final byte[] CHAIN = TransportSettings.chainIdWord(31337);
    private static final int MAX_FRAME = 64 * 1024;

    private final BlsPeerCrypto serverCrypto = new BlsPeerCrypto(TestKeys.keyPair(0));
    private final BlsPeerCrypto goodCrypto = new BlsPeerCrypto(TestKeys.keyPair(1));
    private final BlsPeerCrypto strangerCrypto = new BlsPeerCrypto(TestKeys.keyPair(9));
    private final BoundedInbox<InboundMessage> inbox = new BoundedInbox<>(16);
    private Transport server;
    private Transport client;
    private InetSocketAddress address;

    private static TransportSettings settings() {
        return new TransportSettings(CHAIN, MAX_FRAME, 2_000, 64 * 1024, 1 << 20, 200, 800);
    }

    @BeforeEach
    void start() {
        server = new Transport(settings(), serverCrypto, new SimpleMeterRegistry(), 1);
        Set<PeerKey> staked = Set.of(serverCrypto.localKey(), goodCrypto.localKey());
        address = server.listen("127.0.0.1", 0, PeerAuthorizer.anyOf(staked), new InboxEvents(inbox));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** The honest peer connects through the mesh and its messages arrive in order. */
    private void assertHonestPeerStillServed(int messages) throws InterruptedException {
        if (client == null) {
            client = new Transport(settings(), goodCrypto, new SimpleMeterRegistry(), 1);
        }
        try (DirectMesh mesh = new DirectMesh(client, Map.of(serverCrypto.localKey(), address))) {
            mesh.start();
            Await.until("mesh session", () -> mesh.connectedPeers().contains(serverCrypto.localKey()));
            for (int i = 0; i < messages; i++) {
                assertTrue(mesh.send(serverCrypto.localKey(), new byte[] {(byte) i, 42}));
            }
            for (int i = 0; i < messages; i++) {
                InboundMessage m = inbox.poll(10, TimeUnit.SECONDS);
                assertEquals(goodCrypto.localKey(), m.from());
                assertArrayEquals(new byte[] {(byte) i, 42}, m.payload());
            }
        }
    }

    @Test
    void honestPeersExchangeMessagesWithBackPressure() throws InterruptedException {
        // More messages than the inbox holds: the session must pause reading, not drop.
        assertHonestPeerStillServed(200);
        assertTrue(server.metrics().pausedCount() > 0, "inbox of 16 should have paused the reader");
        assertEquals(0, server.metrics().refusedTotal());
    }

    @Test
    void junkBytesAreRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            byte[] junk = new byte[256];
            new Random(1).nextBytes(junk);
            junk[0] = 0; junk[1] = 0; junk[2] = 0; junk[3] = 10; // a plausible length, then garbage
            junk[4] = 77; // unknown version
            s.getOutputStream().write(junk);
            assertClosedByPeer(s);
        }
        Await.until("junk refused", () -> server.metrics().refusedWithReason("malformed frame") >= 1);
        assertHonestPeerStillServed(3);
    }

    @Test
    void oversizeFrameIsRefusedFromItsLengthAlone() throws Exception {
        try (Socket s = new Socket("127.0.0.1", address.getPort())) {
            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).array());
            assertClosedByPeer(s);
        }
        Await.until("oversize refused", () -> server.metrics().refusedWithReason("malformed frame") >= 1);
        assertHonestPeerStillServed(3);
    }

    @Test
    void keyOutsideTheStakeTableIsRefused() throws Exception {
        Transport stranger = new Transport(settings(), strangerCrypto, new SimpleMeterRegistry(), 1);
        try {
            BoundedInbox<InboundMessage> ignored = new BoundedInbox<>(4);
            stranger.connect(address, PeerAuthorizer.exactly(serverCrypto.localKey()), new InboxEvents(ignored));
            Await.until("stranger refused", () -> server.metrics().refusedWithReason("unauthorized key") >= 1);
        } finally {
            stranger.close();
        }
        assertHonestPeerStillServed(3);
    }

    @Test
    void staleKeyClaimWithoutTheSecretIsRefused() throws Exception {
        // Claims the honest peer's key but signs with another key.
        try (RawPeer raw = new RawPeer(address, goodCrypto.localKey(), strangerCrypto)) {
            raw.handshake();
            assertClosedByPeer(raw.socket);
        }
        Await.until("forged auth refused", () -> server.metrics().refusedWithReason("bad handshake signature") >= 1);
        assertHonestPeerStillServed(3);
    }

    @Test
    void replayedMessagesAndReplayedHandshakesAreRefused() throws Exception {
        byte[] recordedAuth;
        try (RawPeer raw = new RawPeer(address, goodCrypto.localKey(), goodCrypto)) {
            recordedAuth = raw.handshake();
            raw.send(new WireMessage.Data(1, new byte[] {1}));
            raw.send(new WireMessage.Data(2, new byte[] {2}));
            assertArrayEquals(new byte[] {1}, inbox.poll(10, TimeUnit.SECONDS).payload());
            assertArrayEquals(new byte[] {2}, inbox.poll(10, TimeUnit.SECONDS).payload());
            raw.send(new WireMessage.Data(2, new byte[] {2})); // replay inside the session
            assertClosedByPeer(raw.socket);
        }
        Await.until("in-session replay refused", () -> server.metrics().refusedWithReason("replayed") >= 1);

        // A new connection replaying the recorded AUTH: the server's fresh nonce makes it invalid.
        try (RawPeer raw = new RawPeer(address, goodCrypto.localKey(), goodCrypto)) {
            raw.helloThenAuth(recordedAuth);
            assertClosedByPeer(raw.socket);
        }
        Await.until("handshake replay refused", () -> server.metrics().refusedWithReason("bad handshake signature") >= 1);
        assertEquals(0, inbox.size());
        assertHonestPeerStillServed(3);
    }

    private static void assertClosedByPeer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            while (in.read() >= 0) {
                // drain whatever the server sent before closing (its HELLO)
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }

    /** A hand-driven peer speaking the wire protocol directly, to misbehave precisely. */
    private static final class RawPeer implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final PeerKey claimedKey;
        final PeerCrypto signer;
        final byte[] nonce = new byte[32];

        RawPeer(InetSocketAddress address, PeerKey claimedKey, PeerCrypto signer) throws IOException {
            this.socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            this.claimedKey = claimedKey;
            this.signer = signer;
            new Random().nextBytes(nonce);
        }

        WireMessage read() throws IOException {
            int length = in.readInt();
            byte[] frame = ByteBuffer.allocate(4 + length).putInt(length).array();
            in.readFully(frame, 4, length);
            return WireCodec.decodeFrame(frame, MAX_FRAME);
        }

        void send(WireMessage m) throws IOException {
            out.write(WireCodec.encode(m));
            out.flush();
        }

        /** Completes the handshake, returning the AUTH signature this peer sent. */
        byte[] handshake() throws IOException {
            WireMessage.Hello serverHello = (WireMessage.Hello) read();
            send(new WireMessage.Hello(CHAIN, nonce, claimedKey));
            byte[] sig = signer.sign(HandshakeDigest.compute(CHAIN, serverHello.nonce(), nonce, claimedKey));
            send(new WireMessage.Auth(sig));
            try {
                read(); // the server's AUTH, if it accepted our HELLO
            } catch (EOFException closed) {
                // refused
            }
            return sig;
        }

        void helloThenAuth(byte[] auth) throws IOException {
            read();
            send(new WireMessage.Hello(CHAIN, nonce, claimedKey));
            send(new WireMessage.Auth(auth));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}
