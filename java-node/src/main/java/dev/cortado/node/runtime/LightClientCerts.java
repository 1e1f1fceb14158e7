package dev.cortado.node.runtime;

import dev.cortado.node.cdn.Topic;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.net.WireWriter;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Light-client certificates (DESIGN.md decision 8): on every decision the node signs the state
 * (view, height, blockCommRoot over headers 0..h, stake-table commitment) and broadcasts the
 * signature; signatures of more than 2/3 of stake for one height are aggregated into a
 * {@link LightClientCertificate} and stored. Runs on the event thread.
 */
final class LightClientCerts {
    /** Heights older than this behind our tip are no longer collected. */
    static final long WINDOW = 128;

    private record Pending(LightClientState state, Map<Integer, BlsSignature> verified, Map<Integer, byte[]> early) {}

    private final NodeSettings settings;
    private final PeerLink peers;
    private final NodeStore store;
    private final DecidedChain chain;
    private final StakeTable table;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();

    LightClientCerts(NodeSettings settings, PeerLink peers, NodeStore store, DecidedChain chain, StakeTable table) {
        this.settings = settings;
        this.peers = peers;
        this.store = store;
        this.chain = chain;
        this.table = table;
    }

    StakeTable table() {
        return table;
    }

    void onDecided(long height, long view, Bytes32 blockCommRoot) {
        LightClientState state = new LightClientState(new View(view), new Height(height), blockCommRoot, table.commitment());
        BlsSignature own = Bls.sign(settings.keys().secretKey(), state.digest(settings.chainId()));
        Pending p = pending.get(height);
        Pending withState = new Pending(state, p == null ? new HashMap<>() : p.verified(), p == null ? new HashMap<>() : p.early());
        pending.put(height, withState);
        withState.verified().put(peers.me, own);
        for (Map.Entry<Integer, byte[]> e : withState.early().entrySet()) {
            verifyAndAdd(withState, e.getKey(), e.getValue());
        }
        withState.early().clear();
        peers.broadcast(Topic.ALL, new NodeMessage.LcSignature(height, peers.me, own.toBytes()));
        pending.headMap(height - WINDOW).clear();
        tryCertify(height, withState);
    }

    void onSignature(int from, NodeMessage.LcSignature s) {
        long tip = chain.last().height().value();
        if (s.signer() != from || s.height() + WINDOW < tip || s.height() > tip + WINDOW) {
            return;
        }
        Pending p = pending.computeIfAbsent(s.height(), h -> new Pending(null, new HashMap<>(), new HashMap<>()));
        if (p.state() == null) {
            if (p.early().size() < table.size()) {
                p.early().put(from, s.signature());
            }
            return;
        }
        verifyAndAdd(p, from, s.signature());
        tryCertify(s.height(), p);
    }

    private void verifyAndAdd(Pending p, int signer, byte[] signature) {
        if (p.verified().containsKey(signer) || signer < 0 || signer >= table.size()) {
            return;
        }
        try {
            BlsSignature sig = BlsSignature.fromBytes(signature);
            if (Bls.verify(table.entry(signer).key(), p.state().digest(settings.chainId()), sig)) {
                p.verified().put(signer, sig);
            }
        } catch (IllegalArgumentException malformed) {
            // not a signature; ignored
        }
    }

    private void tryCertify(long height, Pending p) {
        if (store.lightClient(height).isPresent()) {
            return;
        }
        long stake = 0;
        SignerBitmap bitmap = SignerBitmap.empty(table.size());
        List<BlsSignature> sigs = new ArrayList<>();
        for (Map.Entry<Integer, BlsSignature> e : new TreeMap<>(p.verified()).entrySet()) {
            stake += table.entry(e.getKey()).stakeGwei();
            bitmap = bitmap.with(e.getKey());
            sigs.add(e.getValue());
        }
        if (!table.isQuorum(stake)) {
            return;
        }
        AggregateCertificate cert = new AggregateCertificate(ThresholdKind.QUORUM, p.state().digest(settings.chainId()),
                bitmap, Bls.aggregate(sigs));
        store.putLightClient(height, encode(new LightClientCertificate(p.state(), cert)));
    }

    static byte[] encode(LightClientCertificate lc) {
        LightClientState s = lc.state();
        return new WireWriter(256).i64(s.view().value()).i64(s.height().value()).fixed(s.blockCommRoot().bytes())
                .fixed(s.stakeTableComm().bytes()).i32(lc.cert().signers().size()).bytes(lc.cert().signers().toBytes())
                .fixed(lc.cert().signature().toBytes()).toByteArray();
    }

    LightClientCertificate decode(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        LightClientState s = new LightClientState(new View(r.u63("view")), new Height(r.u63("height")),
                Bytes32.of(r.fixed(32, "root")), Bytes32.of(r.fixed(32, "stake")));
        int size = r.count("table size", 1 << 16);
        SignerBitmap bitmap = SignerBitmap.fromBytes(r.bytes("signers", 1 << 13), size);
        BlsSignature sig = BlsSignature.fromBytes(r.fixed(BlsSignature.COMPRESSED_BYTES, "signature"));
        r.finish("light-client certificate");
        return new LightClientCertificate(s, new AggregateCertificate(ThresholdKind.QUORUM, s.digest(settings.chainId()),
                bitmap, sig));
    }

    Optional<LightClientCertificate> at(long height) {
        return store.lightClient(height).map(this::decode);
    }
}
