package dev.cortado.node.runtime;

import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.LeaderSchedule;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.DirectMesh;
import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.InboxEvents;
import dev.cortado.node.net.PeerAuthorizer;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Byzantine validator for the real-socket acceptance test, run as its own JVM: it holds a valid
 * stake-table key, dials every honest node on the direct mesh (where its identity is authenticated,
 * so every message it sends is charged to a real validator) and, at a bounded rate for a bounded
 * time, floods junk DA certificates, forged proposals and timeout-vote spam aimed at the current
 * view (from the proposals honest nodes send it and an honest node's {@code /v0/status}). Deterministic (seeded) junk.
 *
 * <p>Per 10 ms tick and target: 8 DA certificates, half for the block of the latest honest
 * proposal it received and half for random commitments, claiming every signer and carrying a real
 * G1 point as aggregate; one proposal, in turn (a) in another leader's
 * name with this node's signature, (b) in its own name for a view it does not lead, (c) validly
 * signed for a view it leads, with a junk block at height 2^40 or at the next height; and two
 * timeout votes with a valid signature of this node but a forged high QC (a real G1 point that is
 * no aggregate of the signers it claims), for views up to 8 ahead.
 *
 * <p>Through the (honest) broker it also broadcasts, once per tick, a message whose origin signature
 * is junk: the broker stamps it with this validator's real key, and honest nodes must quarantine
 * that sender rather than drop the broker.
 *
 * <p>Usage: {@code FloodPeer chainId keyIndex listenPort statusApiPort durationMs n brokerPort peerPort...}
 * (peer ports for key indices 0..n-1 except {@code keyIndex}, in order). Prints
 * {@code FLOOD DONE certs=.. proposals=.. timeoutVotes=.. refused=..} when it stops.
 */
public final class FloodPeer {
    /** The broker's key index in {@link ProcessCluster}. */
    private static final int BROKER_KEY = 100;
    private static final Pattern VIEW = Pattern.compile("\"view\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        long chainId = Long.parseLong(args[0]);
        int me = Integer.parseInt(args[1]);
        int listenPort = Integer.parseInt(args[2]);
        int statusPort = Integer.parseInt(args[3]);
        long durationMs = Long.parseLong(args[4]);
        int n = Integer.parseInt(args[5]);
        int brokerPort = Integer.parseInt(args[6]);
        BlsKeyPair keys = TestKeys.keyPair(me);
        Map<PeerKey, InetSocketAddress> peers = new HashMap<>();
        int arg = 7;
        java.util.Set<PeerKey> stake = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            PeerKey k = BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey());
            stake.add(k);
            if (i != me) {
                peers.put(k, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[arg++])));
            }
        }
        Transport transport = new Transport(TransportSettings.defaults(TransportSettings.chainIdWord(chainId)),
                new BlsPeerCrypto(keys), new SimpleMeterRegistry(), 1);
        NodeCodec codec = new NodeCodec(NodeCodec.Limits.forBlockBytes(1 << 20));
        Flood flood = new Flood(chainId, me, n, keys, codec);
        // Accept the honest nodes' connections (they dial every validator), and read their proposals only to
        // aim junk DA certificates at real blocks and the flood at the live view.
        transport.listen("127.0.0.1", listenPort, PeerAuthorizer.anyOf(stake), new InboxEvents(new InboundSink() {
            @Override
            public boolean offer(PeerKey from, byte[] payload) {
                if (payload.length > 0 && (payload[0] == NodeCodec.PROPOSAL || payload[0] == NodeCodec.SHARE_PROPOSAL)) {
                    try {
                        Proposal p = switch (codec.decode(payload)) {
                            case NodeMessage.ProposalMsg m -> m.proposal();
                            case NodeMessage.ShareProposalMsg m -> m.proposal();
                            default -> null;
                        };
                        if (p != null) {
                            flood.observe(p.leaf());
                        }
                    } catch (RuntimeException malformed) {
                        // not ours to judge
                    }
                }
                return true;
            }

            @Override
            public void whenSpace(Runnable wake) {
                wake.run();
            }
        }));
        DirectMesh mesh = new DirectMesh(transport, peers);
        mesh.start();
        long connectDeadline = System.nanoTime() + 30_000_000_000L;
        while (mesh.connectedPeers().size() < peers.size() && System.nanoTime() < connectDeadline) {
            LockSupport.parkNanos(10_000_000);
        }
        // Through the broker too: broadcasts whose origin signature is junk, so the honest broker relays them
        // stamped with this (real) validator's key.
        java.util.concurrent.atomic.AtomicReference<dev.cortado.node.net.PeerSession> brokerSession = new java.util.concurrent.atomic.AtomicReference<>();
        transport.connect(new InetSocketAddress("127.0.0.1", brokerPort),
                PeerAuthorizer.exactly(BlsPeerCrypto.peerKey(TestKeys.keyPair(BROKER_KEY).publicKey())), new dev.cortado.node.net.SessionEvents() {
                    @Override
                    public void onOpen(dev.cortado.node.net.PeerSession session) {
                        brokerSession.set(session);
                    }

                    @Override
                    public boolean onMessage(dev.cortado.node.net.PeerSession session, byte[] payload) {
                        return true;
                    }

                    @Override
                    public void whenSpace(Runnable wake) {
                        wake.run();
                    }

                    @Override
                    public void onClosed(dev.cortado.node.net.PeerSession session, String reason) {}
                });
        while (brokerSession.get() == null && System.nanoTime() < connectDeadline) {
            LockSupport.parkNanos(10_000_000);
        }
        System.out.println("FLOOD CONNECTED " + mesh.connectedPeers().size() + (brokerSession.get() != null ? " +broker" : ""));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + durationMs * 1_000_000;
        long nextStatus = 0;
        long refused = 0;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextStatus) {
                nextStatus = System.nanoTime() + 200_000_000;
                currentView(http, statusPort).ifPresent(flood::viewAtLeast);
            }
            java.util.List<byte[]> messages = flood.tick();
            for (byte[] message : messages) {
                for (PeerKey to : peers.keySet()) {
                    if (!mesh.send(to, message)) {
                        refused++;
                    }
                }
            }
            dev.cortado.node.net.PeerSession viaBroker = brokerSession.get();
            if (viaBroker != null) {
                byte[] junk = dev.cortado.node.cdn.OriginEnvelope.encode(new dev.cortado.node.cdn.OriginEnvelope.SignedBroadcast(
                        dev.cortado.node.cdn.Topic.ALL, flood.point(), messages.getLast()));
                if (viaBroker.send(dev.cortado.node.cdn.CdnCodec.encode(new dev.cortado.node.cdn.CdnMessage.Broadcast(
                        dev.cortado.node.cdn.Topic.ALL, junk)))) {
                    flood.viaBroker++;
                }
            }
            // The flood's pacing (bounded rate), not a wait for a condition.
            LockSupport.parkNanos(10_000_000);
        }
        System.out.println("FLOOD DONE certs=" + flood.certs + " proposals=" + flood.proposals + " timeoutVotes="
                + flood.timeoutVotes + " viaBroker=" + flood.viaBroker + " refused=" + refused);
        mesh.close();
        transport.close();
    }

    private static Optional<Long> currentView(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v0/status"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = VIEW.matcher(r.body());
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Builds one tick's worth of junk for the current view. */
    static final class Flood {
        private final long chainId;
        private final int me;
        private final int n;
        private final ConsensusSigner signer;
        private final LeaderSchedule schedule;
        private final NodeCodec codec;
        private final Random random = new Random(9);
        private volatile long view = 1;
        /** The block commitment of the latest honest proposal seen: DA certificates for it cost a real check. */
        private volatile Bytes32 liveBlock;
        long certs;
        long proposals;
        long timeoutVotes;
        long viaBroker;
        private long turn;

        Flood(long chainId, int me, int n, BlsKeyPair keys, NodeCodec codec) {
            this.chainId = chainId;
            this.me = me;
            this.n = n;
            this.signer = BlsConsensusCrypto.signer(me, keys.secretKey());
            this.schedule = new LeaderSchedule(StakeWeights.equal(n, 1));
            this.codec = codec;
        }

        void observe(Leaf leaf) {
            viewAtLeast(leaf.view().value());
            liveBlock = leaf.blockCommitment();
        }

        void viewAtLeast(long v) {
            if (v > view) {
                view = v;
            }
        }

        java.util.List<byte[]> tick() {
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Bytes32 target = i % 2 == 0 && liveBlock != null ? liveBlock : randomWord();
                out.add(codec.encode(new NodeMessage.DaCertMsg(target, allSigners().toByteArray(), point())));
                certs++;
            }
            out.add(codec.encode(proposal(turn++ % 3)));
            proposals++;
            for (int i = 0; i < 2; i++) {
                long v = view + random.nextInt(9);
                QuorumCertificate fake = new QuorumCertificate(View.of(Math.max(1, v - 1)), randomWord(),
                        new AggregateSignature(allSigners(), point()));
                View target = View.of(v);
                out.add(codec.encode(new NodeMessage.TimeoutVoteMsg(new TimeoutVote(target, fake, Optional.empty(), me,
                        signer.sign(Digests.timeoutVote(chainId, target, fake.view()))))));
                timeoutVotes++;
            }
            return out;
        }

        private NodeMessage.ProposalMsg proposal(long kind) {
            long v = view + random.nextInt(4);
            int proposer;
            if (kind == 2) {
                while (schedule.leader(View.of(v)) != me) {
                    v++;
                }
                proposer = me;
            } else {
                while (schedule.leader(View.of(v)) == me) {
                    v++;
                }
                proposer = kind == 0 ? schedule.leader(View.of(v)) : me;
            }
            long height = random.nextBoolean() ? 1L << 40 : Math.max(1, v / 2);
            Leaf leaf = new Leaf(chainId, View.of(v), Height.of(height), randomWord(), randomWord(), View.of(Math.max(0, v - 1)));
            QuorumCertificate justify = new QuorumCertificate(View.of(Math.max(0, v - 1)), randomWord(),
                    new AggregateSignature(allSigners(), point()));
            Proposal p = new Proposal(leaf, justify, Optional.empty(), proposer,
                    signer.sign(Digests.quorumVote(chainId, leaf.view(), leaf.commitment())));
            byte[] junk = new byte[64 + random.nextInt(512)];
            random.nextBytes(junk);
            return new NodeMessage.ProposalMsg(p, new NodeMessage.BlockData(junk, new byte[4], junk));
        }

        private BitSet allSigners() {
            BitSet b = new BitSet();
            b.set(0, n);
            return b;
        }

        private Bytes32 randomWord() {
            byte[] b = new byte[32];
            random.nextBytes(b);
            return Bytes32.of(b);
        }

        /** A valid G1 point (a real signature over a random digest), so checks must reach the pairing. */
        byte[] point() {
            return signer.sign(randomWord()).bytes();
        }
    }
}
