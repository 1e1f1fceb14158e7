package dev.cortado.node.runtime;

import dev.cortado.node.da.DaCommittee;
import dev.cortado.node.da.PayloadRetriever;
import dev.cortado.node.da.ShareValidator;
import dev.cortado.node.da.StoredShare;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.net.WireWriter;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.codec.Keccak;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payloads of decided blocks a node does not hold (a DA member that keeps none, a store that lost
 * them): first asked of the members of the DA committee of the block's epoch, and when none of them serves it, rebuilt from the
 * VID shares of that epoch's share holders ({@link VidSlots}: k of its n_e shares) with {@link PayloadRetriever}, which
 * checks every share against the header's {@code vidRoot} at the position its holder holds in that epoch and the
 * result against its {@code payloadRoot}. Also serves this node's payloads and share to peers.
 *
 * <p>Retrieval blocks the calling thread (an API worker) and must never run on the event thread:
 * the replies it waits for are delivered by the event thread through {@link #onPayloadReply} and
 * {@link #onShareReply}.
 *
 * <p>A node's share is kept with the block's namespace table ({@link #shareRecord}), because
 * recovery needs the table and a node without the payload has no other copy of it.
 */
final class DataAvailability {
    private static final Logger LOG = LoggerFactory.getLogger(DataAvailability.class);
    static final long PAYLOAD_WAIT_MS = 1_000;
    static final long SHARE_WAIT_MS = 3_000;

    private record Key(long height, int peer) {}

    private final NodeSettings settings;
    private final PeerLink peers;
    private final NodeStore store;
    private final DaCommittees committees;
    private final VidSlots slots;
    private final ShareValidator validator = new ShareValidator();
    private final Map<Key, CompletableFuture<NodeMessage.PayloadReply>> payloadWaits = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<NodeMessage.ShareReply>> shareWaits = new ConcurrentHashMap<>();
    final Counter fetchedFromCommittee;
    final Counter rebuiltFromShares;
    final Counter retrievalFailures;

    DataAvailability(NodeSettings settings, PeerLink peers, NodeStore store, DaCommittees committees, VidSlots slots,
                     io.micrometer.core.instrument.MeterRegistry registry) {
        this.settings = settings;
        this.peers = peers;
        this.store = store;
        this.committees = committees;
        this.slots = slots;
        this.fetchedFromCommittee = Counter.builder("cortado_da_payloads_fetched_total")
                .description("payloads fetched from DA committee members after decide").register(registry);
        this.rebuiltFromShares = Counter.builder("cortado_da_payloads_rebuilt_total")
                .description("payloads rebuilt from peers' VID shares").register(registry);
        this.retrievalFailures = Counter.builder("cortado_da_retrieval_failures_total")
                .description("payload retrievals that found neither a committee member nor k valid shares").register(registry);
    }

    /** {@code u32 len ‖ nsTable ‖ u32 len ‖ StoredShare}: what the store's VID column holds per height. */
    static byte[] shareRecord(byte[] nsTable, StoredShare share) {
        byte[] s = share.encode();
        return new WireWriter(nsTable.length + s.length + 8).bytes(nsTable).bytes(s).toByteArray();
    }

    /** The namespace table and encoded share of a stored share record. */
    static byte[][] parseShareRecord(byte[] record) {
        WireReader r = new WireReader(record);
        byte[][] out = {r.bytes("ns table", Integer.MAX_VALUE), r.bytes("share", Integer.MAX_VALUE)};
        r.finish("share record");
        return out;
    }

    /** The stored payload form ({@code u32 len ‖ nsTable ‖ u32 len ‖ payload}). */
    static byte[] payloadRecord(byte[] nsTable, byte[] payload) {
        return new WireWriter(nsTable.length + payload.length + 8).bytes(nsTable).bytes(payload).toByteArray();
    }

    static BlockPayload parsePayloadRecord(byte[] record) {
        WireReader r = new WireReader(record);
        BlockPayload p = BlockPayload.parse(r.bytes("ns table", Integer.MAX_VALUE), r.bytes("payload", Integer.MAX_VALUE));
        r.finish("payload record");
        return p;
    }

    // ---------------------------------------------------------------- reading (API threads)

    /**
     * The payload of decided height {@code height}: from the store, else fetched or rebuilt (and
     * stored, unless this node keeps no payloads). Empty if the height is not decided here or no
     * one could provide it. Blocks for up to a few seconds; not for the event thread.
     */
    synchronized Optional<BlockPayload> payload(long height) {
        Optional<byte[]> stored = store.payload(height);
        if (stored.isPresent()) {
            return Optional.of(parsePayloadRecord(stored.get()));
        }
        Optional<dev.cortado.node.storage.DecidedBlock> decided = store.decided(height);
        if (decided.isEmpty()) {
            return Optional.empty();
        }
        BlockHeader header = BlockHeader.decode(decided.get().header());
        Optional<BlockPayload> got = fromCommittee(height, header);
        if (got.isPresent()) {
            fetchedFromCommittee.increment();
        } else {
            got = fromShares(height, header);
            if (got.isPresent()) {
                rebuiltFromShares.increment();
            } else {
                retrievalFailures.increment();
                return Optional.empty();
            }
        }
        if (settings.keepPayloads()) {
            store.putPayload(height, payloadRecord(got.get().nsTableBytes(), got.get().bytes()));
        }
        return got;
    }

    private List<Integer> others() {
        List<Integer> out = new ArrayList<>();
        int n = peers.size();
        for (int i = 1; i < n; i++) {
            out.add((peers.me + i) % n);
        }
        return out;
    }

    private Optional<BlockPayload> fromCommittee(long height, BlockHeader header) {
        // The committee of the block's epoch signed that it holds the payload; a past member may have stopped. An epoch
        // whose table this node no longer knows (older than the committees it keeps) falls back to every da peer.
        Optional<DaCommittee> committee = committees.forHeight(header.height());
        List<Integer> members = others().stream().filter(i -> committee.map(c -> c.isMember(i))
                .orElseGet(() -> committees.daConfigured(i))).toList();
        List<Key> keys = new ArrayList<>();
        for (int m : members) {
            Key k = new Key(height, m);
            payloadWaits.put(k, new CompletableFuture<>());
            keys.add(k);
            peers.send(m, new NodeMessage.PayloadRequest(height));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAYLOAD_WAIT_MS);
        try {
            for (Key k : keys) {
                Optional<NodeMessage.PayloadReply> reply = await(payloadWaits.get(k), deadline);
                if (reply.isEmpty() || !reply.get().found()) {
                    continue;
                }
                Optional<BlockPayload> p = checkPayload(header, reply.get().nsTable(), reply.get().payload());
                if (p.isPresent()) {
                    return p;
                }
                LOG.warn("node {}: DA member {} served a payload for height {} that does not match the header", peers.me, k.peer(),
                        height);
            }
            return Optional.empty();
        } finally {
            keys.forEach(payloadWaits::remove);
        }
    }

    /** The payload if it reproduces the header's namespace-table commitment, size and payloadRoot. */
    static Optional<BlockPayload> checkPayload(BlockHeader header, byte[] nsTable, byte[] bytes) {
        BlockPayload p;
        try {
            p = BlockPayload.parse(nsTable, bytes);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!p.nsTableComm().equals(header.nsTableComm()) || p.byteLength() != header.payloadBytes()
                || !p.payloadRoot().equals(header.payloadRoot())) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    private Optional<BlockPayload> fromShares(long height, BlockHeader header) {
        // The block was dispersed over its epoch's share holders; without that epoch's table nobody can be asked.
        Optional<VidSlots.Assignment> known = slots.forHeight(header.height());
        if (known.isEmpty()) {
            LOG.warn("node {}: the table of epoch {} is not known here: cannot tell who holds the shares of height {}",
                    peers.me, slots.epochOf(header.height()), height);
            return Optional.empty();
        }
        VidSlots.Assignment a = known.get();
        // Positions to ask: this node's own first, then the other holders from the one after this node on.
        List<Integer> order = new ArrayList<>();
        a.positionOf(peers.me).ifPresent(order::add);
        List<Key> keys = new ArrayList<>();
        for (int peer : others()) {
            if (a.positionOf(peer).isPresent()) {
                Key k = new Key(height, peer);
                shareWaits.put(k, new CompletableFuture<>());
                keys.add(k);
                order.add(a.positionOf(peer).getAsInt());
                peers.send(peer, new NodeMessage.ShareRequest(height));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHARE_WAIT_MS);
        try {
            // The namespace table: our own copy, else the first holder's that matches the header.
            byte[] nsTable = null;
            Optional<byte[]> own = store.vidShare(height);
            if (own.isPresent()) {
                byte[] t = parseShareRecord(own.get())[0];
                if (Keccak.hash(t).equals(header.nsTableComm())) {
                    nsTable = t;
                }
            }
            for (int i = 0; i < keys.size() && nsTable == null; i++) {
                Optional<NodeMessage.ShareReply> r = await(shareWaits.get(keys.get(i)), deadline);
                if (r.isPresent() && Keccak.hash(r.get().nsTable()).equals(header.nsTableComm())) {
                    nsTable = r.get().nsTable();
                }
            }
            if (nsTable == null) {
                LOG.warn("node {}: no share holder of epoch {} gave the namespace table of height {}", peers.me, a.epoch(),
                        height);
                return Optional.empty();
            }
            // A reply is taken only from the peer that holds the position asked for (replies are keyed by sender),
            // and the retriever refuses a share that is not at that position or not of this epoch's count.
            PayloadRetriever retriever = new PayloadRetriever(a.shareCount(), validator, (position, h) -> {
                int holder = a.holderAt(position);
                if (holder == peers.me) {
                    return own.map(o -> StoredShare.decode(parseShareRecord(o)[1]));
                }
                Optional<NodeMessage.ShareReply> r = await(shareWaits.get(new Key(height, holder)), deadline);
                if (r.isEmpty() || r.get().share().length == 0) {
                    return Optional.empty();
                }
                return Optional.of(StoredShare.decode(r.get().share()));
            });
            PayloadRetriever.Result result = retriever.retrieve(header, nsTable, order);
            return switch (result) {
                case PayloadRetriever.Result.Recovered r -> {
                    LOG.info("node {}: rebuilt the payload of height {} from shares {} of {} (epoch {})", peers.me, height,
                            r.sharesUsed(), a.shareCount(), a.epoch());
                    yield Optional.of(r.payload());
                }
                case PayloadRetriever.Result.Inconsistent r -> {
                    LOG.warn("node {}: inconsistent dispersal for height {}: {}", peers.me, height, r.evidence());
                    yield Optional.empty();
                }
                case PayloadRetriever.Result.PayloadMismatch r -> {
                    LOG.warn("node {}: shares of height {} do not give its payload: {}", peers.me, height, r.reason());
                    yield Optional.empty();
                }
                case PayloadRetriever.Result.Unavailable r -> {
                    LOG.warn("node {}: only {} of {} shares of height {} ({}): {}", peers.me, r.validShares(), r.needed(),
                            height, a, r.problems());
                    yield Optional.empty();
                }
            };
        } finally {
            keys.forEach(shareWaits::remove);
        }
    }

    private static <T> Optional<T> await(CompletableFuture<T> f, long deadlineNanos) {
        if (f == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- serving (event thread)

    void onPayloadRequest(int from, NodeMessage.PayloadRequest r) {
        NodeMessage.PayloadReply reply = store.payload(r.height()).map(bytes -> {
            WireReader w = new WireReader(bytes);
            return new NodeMessage.PayloadReply(r.height(), true, w.bytes("ns table", Integer.MAX_VALUE),
                    w.bytes("payload", Integer.MAX_VALUE));
        }).orElse(new NodeMessage.PayloadReply(r.height(), false, new byte[0], new byte[0]));
        peers.send(from, reply);
    }

    void onShareRequest(int from, NodeMessage.ShareRequest r) {
        NodeMessage.ShareReply reply = store.vidShare(r.height()).map(record -> {
            byte[][] parts = parseShareRecord(record);
            return new NodeMessage.ShareReply(r.height(), parts[0], parts[1]);
        }).orElse(new NodeMessage.ShareReply(r.height(), new byte[0], new byte[0]));
        peers.send(from, reply);
    }

    void onPayloadReply(int from, NodeMessage.PayloadReply r) {
        CompletableFuture<NodeMessage.PayloadReply> f = payloadWaits.get(new Key(r.height(), from));
        if (f != null) {
            f.complete(r);
        }
    }

    void onShareReply(int from, NodeMessage.ShareReply r) {
        CompletableFuture<NodeMessage.ShareReply> f = shareWaits.get(new Key(r.height(), from));
        if (f != null) {
            f.complete(r);
        }
    }
}
