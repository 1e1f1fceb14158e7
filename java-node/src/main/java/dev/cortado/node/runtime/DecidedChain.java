package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.net.WireWriter;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The decided chain: what is persisted in RocksDB, the header-commitment log behind blockCommRoot, and the
 * decided tip. Written only by the event thread; the tip is readable from any thread.
 */
final class DecidedChain {
    /** Told after each block is persisted, in order, on the event thread. */
    interface Listener {
        void decided(Leaf leaf, KnownBlock block);
    }

    private final NodeSettings settings;
    private final NodeStore store;
    private final NodeCodec codec;
    private final ChainCommitments commitments;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Leaf last;
    /** The bundles' EIP-712 domain (L1 chain id, marketplace), known once the node follows L1; ids need it. */
    private volatile dev.cortado.node.market.BlockMarketRules bundleDomain;

    DecidedChain(NodeSettings settings, NodeStore store, NodeCodec codec) {
        this.settings = settings;
        this.store = store;
        this.codec = codec;
        this.commitments = new ChainCommitments(store.headers().frontier(), store.headers().tip());
        long h = store.latestHeight();
        if (h >= 0 && h + 1 != commitments.size()) {
            throw new IllegalStateException("the store's header tree holds " + commitments.size()
                    + " commitments, its latest block is of height " + h);
        }
        this.last = h < 0 ? Leaf.genesis(settings.chainId()) : NodeCodec.leaf(new WireReader(store.decided(h).orElseThrow().leaf()));
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    Leaf last() {
        return last;
    }

    /** Decided blocks including genesis: the next decided height. */
    long nextHeight() {
        return commitments.size();
    }

    ChainCommitments commitments() {
        return commitments;
    }

    void bundleDomain(dev.cortado.node.market.BlockMarketRules rules) {
        this.bundleDomain = rules;
    }

    /**
     * The sequencing-rights state after a decided height (null activity: before the marketplace's genesis), and the
     * rights per namespace last readable (kept from an earlier height while the tip's window cannot be read).
     */
    record TipActivity(long height, dev.cortado.node.market.WindowActivity activity, ApiDtos.Rights rights) {
    }

    private volatile TipActivity tipActivity;

    /** Called by the event thread's fold after each decided height; read by the API on its own threads. */
    void publishActivity(long height, dev.cortado.node.market.WindowActivity activity, ApiDtos.Rights rights) {
        TipActivity previous = tipActivity;
        tipActivity = new TipActivity(height, activity, rights != null || previous == null ? rights : previous.rights());
    }

    /** The last published state, or null before the node follows L1 and has folded a block. */
    TipActivity tipActivity() {
        return tipActivity;
    }

    /** The rules whose domain names bundles here, or null before the node follows L1. */
    dev.cortado.node.market.BlockMarketRules bundleDomainRules() {
        return bundleDomain;
    }

    /** The decoded header of a stored decided height. */
    java.util.Optional<BlockHeader> header(long height) {
        return store.decided(height).map(d -> BlockHeader.decode(d.header()));
    }

    /** The bundle records of a decided height, in block order. */
    List<dev.cortado.protocol.market.BundleRecord> bundles(long height) {
        return store.bundles(height).stream().map(b -> dev.cortado.protocol.market.BundleRecord.decode(b.record())).toList();
    }

    /** The lowest height still stored (pruning). */
    long pruneFloor() {
        return store.pruneFloor();
    }

    long l1Head(long height) {
        return store.decided(height).map(d -> BlockHeader.decode(d.header()).l1Head()).orElse(0L);
    }

    long timestampMs(long height) {
        return store.decided(height).map(d -> BlockHeader.decode(d.header()).timestampMs()).orElse(0L);
    }

    boolean isDecided(Bytes32 txHash) {
        return store.txLocation(txHash.bytes()).isPresent();
    }

    /**
     * Persists {@code leaf}'s block at the next height. A header-only block is stored without its payload
     * (the payload is fetched later or retrieved on read); its transaction index comes from the hashes the
     * header's payloadRoot bound, in payload order.
     */
    void persist(Leaf leaf, KnownBlock b, QuorumCertificate qc, byte[] proof) {
        persist(leaf, b, qc, proof, null);
    }

    /** As above; {@code writeTimer}, if given, times the store writes (not the listeners that follow). */
    void persist(Leaf leaf, KnownBlock b, QuorumCertificate qc, byte[] proof, io.micrometer.core.instrument.Timer writeTimer) {
        long startNanos = System.nanoTime();
        long h = leaf.height().value();
        WireWriter leafBytes = new WireWriter(96);
        NodeCodec.leaf(leafBytes, leaf);
        byte[] qcBytes = new byte[0];
        if (qc != null) {
            WireWriter w = new WireWriter(160);
            NodeCodec.qc(w, qc);
            qcBytes = w.toByteArray();
        }
        byte[] stored = settings.keepPayloads() && b instanceof KnownBlock.Full f
                ? DataAvailability.payloadRecord(f.block().data().nsTable(), f.block().data().payload()) : null;
        // A node without a share in the block's epoch stores none (retrieval asks that epoch's holders).
        byte[] share = settings.storeVidShares() ? b.ownShare().map(s -> DataAvailability.shareRecord(b.nsTable(), s))
                .orElse(null) : null;
        NamespaceTable table = NamespaceTable.decode(b.nsTable());
        List<NodeStore.IndexedTx> index = new ArrayList<>(b.txHashes().size());
        int next = 0;
        for (int ns = 0; ns < table.size(); ns++) {
            int count = b.txCounts().get(ns);
            for (int i = 0; i < count; i++) {
                index.add(new NodeStore.IndexedTx(b.txHashes().get(next++).bytes(), table.namespace(ns).value(), i));
            }
        }
        List<byte[]> records = b.bundleRecordBytes();
        if (!records.isEmpty()) {
            // Before the block itself, so a stored block always has its bundles (see NodeStore.putBundles).
            dev.cortado.node.market.BlockMarketRules domain = bundleDomain;
            List<NodeStore.DecidedBundle> decided = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                dev.cortado.protocol.market.BundleRecord r = b.bundles().get(i);
                Bytes32 id = domain == null ? dev.cortado.protocol.market.BundleRecord.txHashOf(records.get(i))
                        : r.digest(domain.chainId(), domain.marketplace());
                decided.add(new NodeStore.DecidedBundle(id.bytes(), i, records.get(i)));
            }
            store.putBundles(h, decided);
        }
        store.putDecided(new DecidedBlock(h, leaf.view().value(), b.header().encode(), leafBytes.toByteArray(), qcBytes,
                b.commitment().bytes()), stored, share, index, proof);
        commitments.append(b.commitment());
        if (commitments.size() != store.headers().size()) {
            throw new IllegalStateException("header tree holds " + store.headers().size() + " commitments, the chain "
                    + commitments.size());
        }
        last = leaf;
        if (!settings.archival() && h % 64 == 0) {
            store.prune(settings.retainBlocks());
        }
        if (writeTimer != null) {
            StageMetrics.record(writeTimer, startNanos);
        }
        for (Listener l : listeners) {
            l.decided(leaf, b);
        }
    }

    /** A fetched payload for a height decided without it: kept if it is that height's block and payloads are kept. */
    void latePayload(long height, KnownBlock.Full b) {
        if (settings.keepPayloads() && store.payload(height).isEmpty()
                && store.decided(height).map(d -> Bytes32.of(d.commitment()).equals(b.commitment())).orElse(false)) {
            store.putPayload(height, DataAvailability.payloadRecord(b.block().data().nsTable(), b.block().data().payload()));
        }
    }

    byte[] encodeProof(NodeMessage.DecideProof proof) {
        WireWriter w = new WireWriter(256);
        NodeCodec.decideProof(w, proof);
        return w.toByteArray();
    }

    NodeMessage.DecideProof decodeProof(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        NodeMessage.DecideProof p = codec.decideProof(r);
        r.finish("decide proof");
        return p;
    }
}
