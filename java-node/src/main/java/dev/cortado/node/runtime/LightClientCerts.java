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
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.Optional;

/**
 * Light-client certificates (DESIGN.md decision 8): on every decision the node signs the state
 * (view, height, blockCommRoot over headers 0..h, stake-table commitment) and broadcasts the
 * signature; signatures of more than 2/3 of stake for one height are aggregated into a
 * {@link LightClientCertificate} and stored. Collection and batch verification live in
 * {@link LcSignaturePool}. Runs on the event thread.
 *
 * <p>With epochs ({@link EpochStakeTables}), the state of height h names the commitment
 * {@code EpochRules.stateCommitment} gives, and is signed by epoch(h)'s table, at this node's index in it; a node
 * with no stake in that epoch signs nothing (it still collects, so it can serve certificates). The handover
 * state (an epoch's last height) names the next table: while that table is unknown the decision waits
 * ({@link LcStates}) and is signed once it is known; a commitment is never guessed.
 */
final class LightClientCerts {
    /** Heights older than this behind our tip are no longer collected. */
    static final long WINDOW = LcSignaturePool.WINDOW;

    private final NodeSettings settings;
    private final PeerLink peers;
    private final NodeStore store;
    private final DecidedChain chain;
    private final LcSigners signers;
    private final LcSignaturePool pool;
    private final LcStates states;

    LightClientCerts(NodeSettings settings, PeerLink peers, NodeStore store, DecidedChain chain, EpochStakeTables tables,
            Misbehaviour misbehaviour) {
        this.settings = settings;
        this.peers = peers;
        this.store = store;
        this.chain = chain;
        List<BlsPublicKey> universe = settings.table().stream().map(e -> BlsPublicKey.fromBytes(e.publicKey().bytes()))
                .toList();
        this.signers = new LcSigners(tables, universe);
        this.pool = new LcSignaturePool(settings.chainId(), signers, new LcVerifier(), misbehaviour);
        this.states = new LcStates(signers, peers.me, WINDOW);
    }

    EpochStakeTables tables() {
        return signers.tables();
    }

    /** The table that signs {@code height}'s state (its epoch's; the outgoing one for a handover). */
    Optional<StakeTable> signingTable(long height) {
        return signers.ofHeight(height).map(LcSigners.Epoch::table);
    }

    void onDecided(long height, long view, Bytes32 blockCommRoot) {
        states.decided(height, view, blockCommRoot).forEach(this::sign);
    }

    /** Signs the decisions that waited for a table, if it is known now (call when the table source learns one). */
    void retryDeferred() {
        states.release().forEach(this::sign);
    }

    private void sign(LcStates.Ready ready) {
        LightClientState state = ready.state();
        long height = state.height().value();
        boolean stored = store.lightClient(height).isPresent();
        if (ready.me().isEmpty()) {
            pool.decided(state, stored).ifPresent(this::put);
            return;
        }
        int me = ready.me().getAsInt();
        BlsSignature own = Bls.sign(settings.keys().secretKey(), state.digest(settings.chainId()));
        peers.broadcast(Topic.ALL, new NodeMessage.LcSignature(height, me, own.toBytes()));
        pool.own(state, me, own, stored).ifPresent(this::put);
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
