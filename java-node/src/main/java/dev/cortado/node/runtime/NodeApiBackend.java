package dev.cortado.node.runtime;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.node.api.ApiBackend;
import dev.cortado.node.api.PayloadUnavailable;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.storage.TxLocation;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The HTTP API's view of a running node: reads go to RocksDB, submissions to the mempool. */
public final class NodeApiBackend implements ApiBackend {
    /** Submission times kept for latency; beyond this many undecided, new ones are not timed. */
    private static final int MAX_TRACKED = 1_000_000;

    /** The consensus core's current view and leader, as last published by the event thread. */
    interface ViewStatus {
        long view();

        int leader();
    }

    private final NodeSettings settings;
    private final dev.cortado.node.mempool.Mempool mempool;
    private final Gossip gossip;
    private final DecidedChain chain;
    private final PeerLink peers;
    private final dev.cortado.node.storage.NodeStore store;
    private final LightClientCerts lightClient;
    private final DataAvailability da;
    private final ViewStatus viewStatus;
    private final EpochAnswers epochs;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Bytes32, Long> submitNanos = new ConcurrentHashMap<>();

    NodeApiBackend(NodeSettings settings, dev.cortado.node.mempool.Mempool mempool, Gossip gossip, DecidedChain chain, PeerLink peers,
            dev.cortado.node.storage.NodeStore store, LightClientCerts lightClient, DataAvailability da, ViewStatus viewStatus) {
        this.settings = settings;
        this.mempool = mempool;
        this.gossip = gossip;
        this.chain = chain;
        this.peers = peers;
        this.store = store;
        this.lightClient = lightClient;
        this.da = da;
        this.viewStatus = viewStatus;
        this.epochs = new EpochAnswers(lightClient.tables(), () -> chain.last().height().value(), this::lightClientAnswer);
    }

    @Override
    public SubmitResult submit(long namespace, byte[] payload) {
        return submitAll(List.of(new dev.cortado.node.mempool.Mempool.Submission(namespace, payload))).getFirst();
    }

    @Override
    public List<SubmitResult> submitAll(List<dev.cortado.node.mempool.Mempool.Submission> batch) {
        long now = System.nanoTime();
        List<SubmitResult> results = mempool.submitFromClient(batch);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof SubmitResult.Accepted a) {
                if (submitNanos.size() < MAX_TRACKED) {
                    submitNanos.put(a.hash(), now);
                }
                // If gossip is saturated the transaction still waits here for this node's turn to lead.
                gossip.offer(batch.get(i).namespace(), batch.get(i).payload());
            }
        }
        return results;
    }

    @Override
    public Optional<SubmitResult.Refused> backlogRefusal() {
        return Optional.ofNullable(mempool.backlogRefusal());
    }

    List<Long> takeSubmitTimes(List<Bytes32> hashes) {
        List<Long> out = new ArrayList<>();
        for (Bytes32 h : hashes) {
            Long t = submitNanos.remove(h);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public Object status() {
        return new ApiDtos.Status(chain.last().height().value(), viewStatus.view(), viewStatus.leader(), peers.me,
                peers.key(peers.me).hex(), peers.network().connectedPeers().stream().map(PeerKey::hex).sorted().toList(),
                peers.network().activeBroker().map(b -> b.address().getHostString() + ":" + b.address().getPort()).orElse(null),
                mempool.size(), store.pruneFloor(), marketStatus(), rights());
    }

    private ApiDtos.Rights rights() {
        DecidedChain.TipActivity t = chain.tipActivity();
        return t == null ? null : t.rights();
    }

    private ApiDtos.MarketStatus marketStatus() {
        DecidedChain.TipActivity t = chain.tipActivity();
        if (t == null) {
            return null;
        }
        dev.cortado.node.market.WindowActivity a = t.activity();
        if (a == null) {
            return new ApiDtos.MarketStatus(t.height(), -1, 0, List.of(), java.util.Map.of(), java.util.Map.of());
        }
        java.util.Map<String, Long> active = new java.util.TreeMap<>();
        a.lastActiveSlot().forEach((k, v) -> active.put(k.toHex(), v));
        java.util.Map<String, Long> sequences = new java.util.TreeMap<>();
        a.lastSequence().forEach((k, v) -> sequences.put(k.toHex(), v));
        return new ApiDtos.MarketStatus(t.height(), a.window(), a.silenceSlots(),
                a.fallenSilent().stream().map(dev.cortado.protocol.types.Address::toHex).sorted().toList(), active, sequences);
    }

    @Override
    public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
        Optional<dev.cortado.node.storage.DecidedBlock> d = store.decided(height);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        BlockHeader header = BlockHeader.decode(d.get().header());
        Long certified = certifiedHeight.filter(h -> h >= height && store.lightClient(h).isPresent()).orElse(null);
        if (certified == null) {
            long latest = store.latestLightClientHeight();
            certified = latest >= height ? latest : null;
        }
        return Optional.of(BlockAnswer.of(header, settings.chainId(), certified,
                certified == null ? null : store.headers().proof(height, certified + 1)));
    }

    @Override
    public Optional<Object> lightClient(Optional<Long> height) {
        return lightClientAnswer(height.orElse(store.latestLightClientHeight())).map(Object.class::cast);
    }

    /** The certificate of {@code h} with its non-signer data over the table that signed it (its epoch's). */
    private Optional<LightClientAnswer> lightClientAnswer(long h) {
        if (h < 1) {
            return Optional.empty();
        }
        return lightClient.at(h).flatMap(lc -> lightClient.signingTable(h).flatMap(table -> store.decided(h).map(d ->
                LightClientAnswer.of(lc, settings.chainId(), table, BlockHeader.decode(d.header()),
                        store.headers().proof(h, h + 1)))));
    }

    @Override
    public EpochLookup epoch(long epoch) {
        return epochs.answer(epoch);
    }

    /**
     * Parsed payloads of recently read heights: parsing hashes every transaction, and readers (a
     * follower fetching each namespace of a new block) ask for the same block several times in a row.
     */
    private final java.util.Map<Long, BlockPayload> parsed = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Long, BlockPayload> eldest) {
                    return size() > 16;
                }
            });

    /**
     * The payload of decided height {@code height}: stored, or fetched from the DA committee or rebuilt from VID
     * shares; {@link PayloadUnavailable} when none of that worked (the caller checked that the height is decided).
     */
    private BlockPayload payload(long height) {
        BlockPayload cached = parsed.get(height);
        if (cached != null) {
            return cached;
        }
        BlockPayload p = da.payload(height).orElseThrow(() -> new PayloadUnavailable("block " + height + " is decided"
                + " but this node holds no payload for it and could neither fetch it from the DA committee nor rebuild"
                + " it from VID shares; retry once more peers answer"));
        parsed.put(height, p);
        return p;
    }

    /** A block this node just decided with its payload: readers of the new height take it without parsing it again. */
    void decided(long height, BlockPayload payload) {
        parsed.put(height, payload);
    }

    void forgetParsed() {
        parsed.clear();
    }

    @Override
    public Optional<NamespaceProof> namespace(long height, long namespace) {
        if (store.decided(height).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(payload(height).namespaceProof(NamespaceId.of(namespace)));
    }

    @Override
    public Optional<Object> transaction(Bytes32 hash) {
        Optional<TxLocation> loc = store.txLocation(hash.bytes());
        if (loc.isEmpty()) {
            return Optional.empty();
        }
        TxLocation l = loc.get();
        Optional<dev.cortado.node.storage.DecidedBlock> d = store.decided(l.height());
        if (d.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(TransactionAnswer.of(l.height(), d.get().view(),
                payload(l.height()).transactionProof(NamespaceId.of(l.namespace()), l.index())));
    }

    @Override
    public Optional<Bytes32> headerRoot(long height) {
        if (height < 1 || height > latestHeight()) {
            return Optional.empty();
        }
        return store.decided(height).map(d -> dev.cortado.protocol.block.BlockCommitmentLog.blockCommRoot(
                store.headers().proof(height, height + 1).computeRoot(Bytes32.of(d.commitment())), height + 1));
    }

    @Override
    public Optional<Object> bundle(Bytes32 id) {
        Optional<dev.cortado.node.storage.NodeStore.BundleLocation> loc = store.bundleLocation(id.bytes());
        if (loc.isEmpty()) {
            return Optional.empty();
        }
        long height = loc.get().height();
        int index = loc.get().index();
        List<dev.cortado.node.storage.NodeStore.DecidedBundle> records = store.bundles(height);
        Optional<Object> block = block(height, Optional.empty());
        if (index >= records.size() || block.isEmpty()) {
            return Optional.empty();
        }
        BlockPayload payload = payload(height);
        dev.cortado.protocol.market.BundleRecord r = dev.cortado.protocol.market.BundleRecord.decode(records.get(index).record());
        dev.cortado.node.market.BlockMarketRules domain = chain.bundleDomainRules();
        String signer = domain == null ? null : r.signer(domain.chainId(), domain.marketplace()).map(a -> a.toHex()).orElse(null);
        List<Object> proofs = new ArrayList<>();
        for (long ns : r.namespaces()) {
            proofs.add(NamespaceAnswer.of(height, payload.namespaceProof(NamespaceId.of(ns))));
        }
        return Optional.of(new ApiDtos.BundleAnswer(id.toHex(), height, index, signer, r.window(), r.sequence(), r.expirySlot(),
                r.entries().stream().map(e -> new ApiDtos.BundleEntryJson(e.namespace().value(), e.txHash().toHex())).toList(),
                block.get(), NamespaceAnswer.of(height, payload.namespaceProof(
                        NamespaceId.of(dev.cortado.protocol.market.BundleRecord.NAMESPACE))), proofs));
    }

    @Override
    public long latestHeight() {
        return chain.last().height().value();
    }

    @Override
    public long oldestHeight() {
        return Math.max(1, store.pruneFloor());
    }

    @Override
    public void onDecided(Runnable listener) {
        listeners.add(listener);
    }

    void notifyDecided() {
        listeners.forEach(Runnable::run);
    }
}
