package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaves this replica needs and does not hold, with the peer last asked. Only leaves named by a verified
 * certificate, or ancestors reached from one through parent commitments, are ever wanted, so a fetched leaf
 * whose commitment matches is authentic. Bounded; retries rotate through the peers.
 */
final class LeafFetcher {
    /** Leaves stored from one response, and the follow-up requests for ancestors still missing. */
    record Outcome(int taken, List<Bytes32> stored, List<Effect.FetchLeaves> requests) {
    }

    private final int me;
    private final int peers;
    private final int maxWanted;
    private final Map<Bytes32, Integer> askedPeer = new LinkedHashMap<>();

    LeafFetcher(int me, int peers, int maxWanted) {
        this.me = me;
        this.peers = peers;
        this.maxWanted = maxWanted;
    }

    /** A request to {@code peer}, or null when that peer was already asked or too much is wanted. */
    Effect.FetchLeaves want(Bytes32 commitment, int peer) {
        int target = peer == me ? next(peer) : peer;
        Integer asked = askedPeer.get(commitment);
        if (asked == null && askedPeer.size() >= maxWanted || asked != null && asked == target) {
            return null;
        }
        askedPeer.put(commitment, target);
        return new Effect.FetchLeaves(target, commitment);
    }

    void received(Bytes32 commitment) {
        askedPeer.remove(commitment);
    }

    /** Asks the next peer for everything still missing, so over successive timeouts every peer is tried. */
    List<Effect.FetchLeaves> retryAll() {
        List<Effect.FetchLeaves> requests = new ArrayList<>();
        for (Map.Entry<Bytes32, Integer> e : askedPeer.entrySet()) {
            int peer = next(e.getValue());
            e.setValue(peer);
            requests.add(new Effect.FetchLeaves(peer, e.getKey()));
        }
        return requests;
    }

    /**
     * Takes the wanted leaves of a response (newest first, so each one makes its parent wanted): stores those
     * whose parent is known, keeps the others as orphans and asks {@code from} for the missing ancestors.
     */
    Outcome accept(int from, List<Leaf> leaves, LeafStore store) {
        List<Map.Entry<Bytes32, Leaf>> descending = new ArrayList<>();
        for (Leaf leaf : leaves) {
            descending.add(Map.entry(leaf.commitment(), leaf));
        }
        descending.sort((a, b) -> b.getValue().view().compareTo(a.getValue().view()));
        int taken = 0;
        List<Bytes32> stored = new ArrayList<>();
        List<Bytes32> missingParents = new ArrayList<>();
        for (Map.Entry<Bytes32, Leaf> e : descending) {
            Bytes32 c = e.getKey();
            Leaf leaf = e.getValue();
            if (!askedPeer.containsKey(c) || store.contains(c)) {
                continue;
            }
            taken++;
            askedPeer.remove(c);
            missingParents.remove(c);
            if (store.contains(leaf.parentCommitment())) {
                if (store.add(c, leaf)) {
                    stored.add(c);
                }
            } else if (leaf.justifyView().isAfter(store.anchor().view()) && store.addOrphan(c, leaf)
                    && (askedPeer.size() < maxWanted || askedPeer.containsKey(leaf.parentCommitment()))) {
                askedPeer.put(leaf.parentCommitment(), from);
                missingParents.add(leaf.parentCommitment());
            }
        }
        List<Effect.FetchLeaves> requests = new ArrayList<>();
        for (Bytes32 parent : missingParents) {
            requests.add(new Effect.FetchLeaves(from, parent));
        }
        return new Outcome(taken, stored, requests);
    }

    @Override
    public String toString() {
        return askedPeer.toString();
    }

    private int next(int peer) {
        int p = (peer + 1) % peers;
        return p == me ? (p + 1) % peers : p;
    }
}
