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
import java.util.Optional;

/**
 * Light-client certificates (DESIGN.md decision 8): on every decision the node signs the state
 * (view, height, blockCommRoot over headers 0..h, stake-table commitment) and broadcasts the
 * signature; signatures of more than 2/3 of stake for one height are aggregated into a
 * {@link LightClientCertificate} and stored. Collection and batch verification live in
 * {@link LcSignaturePool}. Runs on the event thread.
 */
final class LightClientCerts {
    /** Heights older than this behind our tip are no longer collected. */
    static final long WINDOW = LcSignaturePool.WINDOW;

    private final NodeSettings settings;
    private final PeerLink peers;
    private final NodeStore store;
    private final DecidedChain chain;
    private final StakeTable table;
    private final LcSignaturePool pool;

    LightClientCerts(NodeSettings settings, PeerLink peers, NodeStore store, DecidedChain chain, StakeTable table,
            Misbehaviour misbehaviour) {
        this.settings = settings;
        this.peers = peers;
        this.store = store;
        this.chain = chain;
        this.table = table;
        this.pool = new LcSignaturePool(settings.chainId(), table, new LcVerifier(), misbehaviour);
    }

    StakeTable table() {
        return table;
    }

    void onDecided(long height, long view, Bytes32 blockCommRoot) {
        LightClientState state = new LightClientState(new View(view), new Height(height), blockCommRoot, table.commitment());
        BlsSignature own = Bls.sign(settings.keys().secretKey(), state.digest(settings.chainId()));
        peers.broadcast(Topic.ALL, new NodeMessage.LcSignature(height, peers.me, own.toBytes()));
        pool.own(state, peers.me, own, store.lightClient(height).isPresent()).ifPresent(this::put);
    }

    void onSignature(int from, NodeMessage.LcSignature s) {
        pool.offer(chain.last().height().value(), from, s).ifPresent(this::put);
    }

    private void put(LightClientCertificate lc) {
        store.putLightClient(lc.state().height().value(), encode(lc));
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
