package dev.cortado.node.mempool;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending transactions, bounded per namespace and in total, deduplicated by hash. Transactions
 * stay here until decided: a block that was proposed but never decided must not lose them, so
 * block building skips what the undecided chain already carries instead of removing it.
 * Thread-safe through one monitor; the HTTP threads submit and the event thread builds and prunes.
 */
public final class Mempool {
    private final MempoolLimits limits;
    private final DecidedIndex alreadyDecided;
    /**
     * Bumped by every {@link #removeDecided}. A batch reads the decided index before it takes the monitor; if a
     * block was decided in between, the index may have gained one of the batch's hashes after the read, so those
     * transactions are looked up again under the monitor, as a single submission is.
     */
    private long decidedGeneration;
    private final Map<Long, NamespaceQueue> namespaces = new TreeMap<>();
    private final Map<Bytes32, PendingTx> byHash = new HashMap<>();
    /**
     * The same entries keyed by content, read without the monitor by the event thread when it parses a block, so
     * the transactions it already holds cost a lookup and a byte comparison rather than a hash. Written under the
     * monitor together with {@link #byHash}, so it is bounded by the same limits.
     */
    private final ConcurrentHashMap<Content, PendingTx> byContent = new ConcurrentHashMap<>();
    /** Written under the monitor; volatile so the backlog check before a client request can read it without waiting. */
    private volatile long totalBytes;
    // Round-robin start so no namespace starves when blocks are full.
    private long nextNamespaceStart;

    /** @param alreadyDecided answers whether a hash is in a decided block (the store's tx index) */
    public Mempool(MempoolLimits limits, DecidedIndex alreadyDecided) {
        this.limits = limits;
        this.alreadyDecided = alreadyDecided;
    }

    public MempoolLimits limits() {
        return limits;
    }

    public SubmitResult submit(long namespace, byte[] payload) {
        return submitAll(List.of(new Submission(namespace, payload))).getFirst();
    }

    /** One transaction of a batch submission. */
    public record Submission(long namespace, byte[] payload) {
    }

    /**
     * Submits a batch (a gossiped batch, or a client's batch request): each entry is refused, a duplicate or
     * accepted exactly as {@link #submit} would answer it alone, in order. The hashes and the decided-index read
     * (one batched lookup) happen outside the monitor, so the event thread building a block is not held up by them.
     */
    public List<SubmitResult> submitAll(List<Submission> batch) {
        return submitAll(batch, false);
    }

    /**
     * A client's submission (the HTTP API): as {@link #submitAll}, except that while the pending bytes are at or over
     * {@link MempoolLimits#maxBacklogBytes} the whole batch is refused as {@link SubmitResult.Reason#BACKLOG}, every
     * entry with the same refusal, and nothing of it is admitted. The check runs before any hashing, and again under
     * the monitor before the first admission, so a batch is never half-taken because the backlog filled meanwhile.
     * Gossip from peers goes through {@link #submitAll}: those transactions were already accepted by another node.
     */
    public List<SubmitResult> submitFromClient(List<Submission> batch) {
        return submitAll(batch, true);
    }

    /**
     * The refusal a client submission would get now because of the backlog, or null if it would be judged. Any thread,
     * without the monitor, so an overloaded node's HTTP workers do not queue behind the event thread building a block.
     */
    public SubmitResult.Refused backlogRefusal() {
        long pending = totalBytes;
        if (pending < limits.maxBacklogBytes()) {
            return null;
        }
        return new SubmitResult.Refused(SubmitResult.Reason.BACKLOG, "the node holds " + pending
                + " pending bytes not yet decided, at or over its backlog limit of " + limits.maxBacklogBytes() + " bytes");
    }

    private List<SubmitResult> submitAll(List<Submission> batch, boolean fromClient) {
        if (fromClient) {
            SubmitResult.Refused busy = backlogRefusal();
            if (busy != null) {
                return Collections.nCopies(batch.size(), busy);
            }
        }
        SubmitResult[] results = new SubmitResult[batch.size()];
        List<PendingTx> candidates = new ArrayList<>(batch.size());
        List<Integer> positions = new ArrayList<>(batch.size());
        for (int i = 0; i < results.length; i++) {
            Submission s = batch.get(i);
            SubmitResult.Refused refused = check(s.namespace(), s.payload());
            if (refused != null) {
                results[i] = refused;
            } else {
                candidates.add(PendingTx.of(s.namespace(), s.payload().clone()));
                positions.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return List.of(results);
        }
        long generation;
        synchronized (this) {
            generation = decidedGeneration;
        }
        boolean[] decided = alreadyDecided.containsAll(candidates.stream().map(PendingTx::hash).toList());
        synchronized (this) {
            SubmitResult.Refused busy = fromClient ? backlogRefusal() : null;
            if (busy != null) {
                return Collections.nCopies(batch.size(), busy);
            }
            boolean stale = generation != decidedGeneration;
            for (int k = 0; k < candidates.size(); k++) {
                PendingTx tx = candidates.get(k);
                boolean isDecided = decided[k] || (stale && alreadyDecided.contains(tx.hash()));
                results[positions.get(k)] = admit(tx, isDecided);
            }
        }
        return List.of(results);
    }

    private SubmitResult.Refused check(long namespace, byte[] payload) {
        if (namespace < 0) {
            return new SubmitResult.Refused(SubmitResult.Reason.MALFORMED_NAMESPACE,
                    "namespace must be an unsigned 63-bit integer, got " + namespace);
        }
        if (payload.length == 0) {
            return new SubmitResult.Refused(SubmitResult.Reason.EMPTY_TRANSACTION, "transaction payload is empty");
        }
        if (payload.length > limits.maxTxBytes()) {
            return new SubmitResult.Refused(SubmitResult.Reason.TRANSACTION_TOO_LARGE, "transaction of " + payload.length
                    + " bytes exceeds the block limit of " + limits.maxTxBytes() + " payload bytes");
        }
        return null;
    }

    /** Under the monitor. */
    private SubmitResult admit(PendingTx tx, boolean decided) {
        if (decided || byHash.containsKey(tx.hash())) {
            return new SubmitResult.Duplicate(tx.hash());
        }
        long namespace = tx.namespace();
        NamespaceQueue q = namespaces.computeIfAbsent(namespace, n -> new NamespaceQueue());
        SubmitResult.Refused full = null;
        if (q.bytes + tx.blockBytes() > limits.maxNamespaceBytes()) {
            full = new SubmitResult.Refused(SubmitResult.Reason.NAMESPACE_FULL, "namespace " + namespace + " holds "
                    + q.bytes + " pending bytes; limit " + limits.maxNamespaceBytes());
        } else if (totalBytes + tx.blockBytes() > limits.maxTotalBytes() || byHash.size() >= limits.maxTotalTxs()) {
            full = new SubmitResult.Refused(SubmitResult.Reason.MEMPOOL_FULL, "mempool holds " + byHash.size()
                    + " transactions, " + totalBytes + " bytes; limits " + limits.maxTotalTxs() + ", " + limits.maxTotalBytes());
        }
        if (full != null) {
            if (q.txs.isEmpty()) {
                namespaces.remove(namespace); // no empty queue left for the block builder to visit
            }
            return full;
        }
        q.txs.put(tx.hash(), tx);
        q.bytes += tx.blockBytes();
        totalBytes += tx.blockBytes();
        byHash.put(tx.hash(), tx);
        byContent.put(new Content(namespace, tx.payload()), tx);
        return new SubmitResult.Accepted(tx.hash());
    }

    /**
     * Chooses transactions for a block of at most {@code maxBlockBytes}, skipping {@code inFlight}
     * (carried by proposed, undecided ancestors). Namespaces take turns, each in arrival order.
     */
    public synchronized List<PendingTx> select(int maxBlockBytes, Set<Bytes32> inFlight) {
        int budget = Math.min(maxBlockBytes, limits.maxBlockBytes());
        List<PendingTx> chosen = new ArrayList<>();
        List<Iterator<PendingTx>> cursors = new ArrayList<>();
        List<Long> keys = new ArrayList<>(namespaces.keySet());
        if (keys.isEmpty()) {
            return chosen;
        }
        int start = (int) (nextNamespaceStart++ % keys.size());
        for (int i = 0; i < keys.size(); i++) {
            cursors.add(namespaces.get(keys.get((start + i) % keys.size())).txs.values().iterator());
        }
        ArrayDeque<Iterator<PendingTx>> active = new ArrayDeque<>(cursors);
        while (!active.isEmpty()) {
            Iterator<PendingTx> it = active.poll();
            while (it.hasNext()) {
                PendingTx tx = it.next();
                if (inFlight.contains(tx.hash())) {
                    continue;
                }
                if (tx.blockBytes() <= budget) {
                    chosen.add(tx);
                    budget -= tx.blockBytes();
                    active.add(it);
                }
                // A transaction that does not fit ends this namespace's turn for this block, keeping its order.
                break;
            }
        }
        return chosen;
    }

    /** Drops transactions that were decided (by anyone's block). */
    public synchronized void removeDecided(Collection<Bytes32> hashes) {
        decidedGeneration++;
        for (Bytes32 h : hashes) {
            PendingTx tx = byHash.remove(h);
            if (tx != null) {
                byContent.remove(new Content(tx.namespace(), tx.payload()));
                NamespaceQueue q = namespaces.get(tx.namespace());
                q.txs.remove(h);
                q.bytes -= tx.blockBytes();
                totalBytes -= tx.blockBytes();
                if (q.txs.isEmpty()) {
                    namespaces.remove(tx.namespace());
                }
            }
        }
    }

    /**
     * The hash of a pending transaction with exactly this namespace and these bytes, or null: the hash this mempool
     * computed when it took the transaction. Any thread, without the monitor.
     */
    public Bytes32 knownHash(long namespace, byte[] payload) {
        PendingTx tx = byContent.get(new Content(namespace, payload));
        return tx == null ? null : tx.hash();
    }

    public synchronized PendingTx get(Bytes32 hash) {
        return byHash.get(hash);
    }

    public synchronized int size() {
        return byHash.size();
    }

    public synchronized long totalBytes() {
        return totalBytes;
    }

    /**
     * A transaction's namespace and bytes as a map key; equal only for equal bytes. Submitters choose the bytes, so
     * they can make {@link Arrays#hashCode} collide at will; being comparable lets a flooded bucket turn into a tree
     * (lookups stay logarithmic), where a plain key would make every lookup walk the whole bucket.
     */
    private static final class Content implements Comparable<Content> {
        final long namespace;
        final byte[] payload;
        final int hash;

        Content(long namespace, byte[] payload) {
            this.namespace = namespace;
            this.payload = payload;
            this.hash = 31 * Long.hashCode(namespace) + Arrays.hashCode(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Content c && c.hash == hash && c.namespace == namespace && Arrays.equals(c.payload, payload);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Content o) {
            int c = Long.compare(namespace, o.namespace);
            return c != 0 ? c : Arrays.compare(payload, o.payload);
        }
    }

    private static final class NamespaceQueue {
        final LinkedHashMap<Bytes32, PendingTx> txs = new LinkedHashMap<>();
        long bytes;
    }
}
