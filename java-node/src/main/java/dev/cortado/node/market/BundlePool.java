package dev.cortado.node.market;

import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admitted bundles waiting for a block, bounded in count per signer, in total count and in total bytes.
 * Within a signer they are kept by (window, sequence), the order a leader must include them in; a second
 * bundle with the same signer, window and sequence is refused, because at most one of them can ever be
 * decided. Thread-safe through one monitor (HTTP threads add, the event thread takes and prunes).
 */
public final class BundlePool {
    /** What {@link #add} did. */
    public enum Outcome { ADDED, DUPLICATE, SEQUENCE_TAKEN, SIGNER_FULL, POOL_FULL }

    /** A pooled bundle with its recovered signer and encoded size. */
    public record Pooled(SignedBundle bundle, Address signer, int bytes) {
    }

    private final int maxPerSigner;
    private final int maxBundles;
    private final long maxBytes;
    private final Map<Address, TreeMap<Long, TreeMap<Long, Pooled>>> bySigner = new HashMap<>();
    private final Map<Bytes32, Pooled> byId = new HashMap<>();
    /** Transaction hash to the first pooled bundle holding it, for the pre-confirmed level of {@code /v0/tx}. */
    private final Map<Bytes32, Bytes32> byTransaction = new HashMap<>();
    private long bytes;

    public BundlePool(int maxPerSigner, int maxBundles, long maxBytes) {
        if (maxPerSigner < 1 || maxBundles < maxPerSigner || maxBytes < 1) {
            throw new IllegalArgumentException("need 1 <= maxPerSigner <= maxBundles and maxBytes >= 1");
        }
        this.maxPerSigner = maxPerSigner;
        this.maxBundles = maxBundles;
        this.maxBytes = maxBytes;
    }

    public synchronized Outcome add(SignedBundle b, Address signer, int encodedBytes) {
        Bytes32 id = b.id();
        if (byId.containsKey(id)) return Outcome.DUPLICATE;
        TreeMap<Long, TreeMap<Long, Pooled>> windows = bySigner.get(signer);
        long window = b.bundle().window();
        long sequence = b.bundle().sequence();
        if (windows != null && windows.containsKey(window) && windows.get(window).containsKey(sequence)) {
            return Outcome.SEQUENCE_TAKEN;
        }
        int held = windows == null ? 0 : windows.values().stream().mapToInt(Map::size).sum();
        if (held >= maxPerSigner) return Outcome.SIGNER_FULL;
        if (byId.size() >= maxBundles || bytes + encodedBytes > maxBytes) return Outcome.POOL_FULL;
        Pooled p = new Pooled(b, signer, encodedBytes);
        bySigner.computeIfAbsent(signer, s -> new TreeMap<>()).computeIfAbsent(window, w -> new TreeMap<>()).put(sequence, p);
        byId.put(id, p);
        for (var tx : b.bundle().transactions()) byTransaction.putIfAbsent(tx.hash(), id);
        bytes += encodedBytes;
        return Outcome.ADDED;
    }

    /** The pooled bundles of {@code window}, per signer in sequence order. */
    public synchronized List<Pooled> forWindow(long window) {
        List<Pooled> out = new ArrayList<>();
        for (TreeMap<Long, TreeMap<Long, Pooled>> windows : bySigner.values()) {
            TreeMap<Long, Pooled> seqs = windows.get(window);
            if (seqs != null) out.addAll(seqs.values());
        }
        return out;
    }

    public synchronized void remove(Bytes32 id) {
        Pooled p = byId.remove(id);
        if (p == null) return;
        bytes -= p.bytes();
        for (var tx : p.bundle().bundle().transactions()) byTransaction.remove(tx.hash(), id);
        TreeMap<Long, TreeMap<Long, Pooled>> windows = bySigner.get(p.signer());
        TreeMap<Long, Pooled> seqs = windows.get(p.bundle().bundle().window());
        seqs.remove(p.bundle().bundle().sequence());
        if (seqs.isEmpty()) windows.remove(p.bundle().bundle().window());
        if (windows.isEmpty()) bySigner.remove(p.signer());
    }

    /** Drops every bundle of a window before {@code window}: they can never be decided. */
    public synchronized void pruneBefore(long window) {
        for (Pooled p : new ArrayList<>(byId.values())) {
            if (p.bundle().bundle().window() < window) remove(p.bundle().id());
        }
    }

    /** A pooled bundle that holds the transaction {@code txHash}, if any. */
    public synchronized java.util.Optional<Pooled> holding(Bytes32 txHash) {
        Bytes32 id = byTransaction.get(txHash);
        return id == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(byId.get(id));
    }

    public synchronized int size() {
        return byId.size();
    }

    public synchronized long bytes() {
        return bytes;
    }
}
