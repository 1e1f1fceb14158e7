package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Leaves not yet decided, keyed by commitment. Invariant: every stored leaf's parent is stored or is the
 * anchor (the last decided leaf), so ancestry walks never hit a gap. Leaves whose parent is still missing
 * wait as orphans (bounded) until the parent arrives.
 */
public final class LeafStore {
    private final int maxOrphans;
    private final Map<Bytes32, Leaf> leaves = new HashMap<>();
    private final Map<Bytes32, Leaf> orphans = new HashMap<>();
    private Leaf anchor;
    private Bytes32 anchorCommitment;

    public LeafStore(Leaf anchor, int maxOrphans) {
        this.maxOrphans = maxOrphans;
        this.anchor = anchor;
        this.anchorCommitment = anchor.commitment();
        leaves.put(anchorCommitment, anchor);
    }

    public Leaf anchor() {
        return anchor;
    }

    public Bytes32 anchorCommitment() {
        return anchorCommitment;
    }

    public Leaf get(Bytes32 commitment) {
        return leaves.get(commitment);
    }

    public boolean contains(Bytes32 commitment) {
        return leaves.containsKey(commitment);
    }

    public int size() {
        return leaves.size();
    }

    /** Adds a leaf whose parent is stored; returns false (and stores nothing) otherwise. */
    public boolean add(Bytes32 commitment, Leaf leaf) {
        if (!leaves.containsKey(leaf.parentCommitment()) || !leaf.view().isAfter(anchor.view())) {
            return false;
        }
        leaves.put(commitment, leaf);
        orphans.remove(commitment);
        return true;
    }

    /** Keeps a fetched leaf until its parent arrives; false when the orphan pool is full. */
    public boolean addOrphan(Bytes32 commitment, Leaf leaf) {
        if (orphans.size() >= maxOrphans && !orphans.containsKey(commitment)) {
            return false;
        }
        orphans.put(commitment, leaf);
        return true;
    }

    /** Removes and returns the orphans whose parent is {@code parent}, ascending by view. */
    public List<Map.Entry<Bytes32, Leaf>> takeOrphanChildren(Bytes32 parent) {
        List<Map.Entry<Bytes32, Leaf>> children = new ArrayList<>();
        for (Map.Entry<Bytes32, Leaf> e : orphans.entrySet()) {
            if (e.getValue().parentCommitment().equals(parent)) {
                children.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        children.sort(Map.Entry.comparingByKey());
        for (Map.Entry<Bytes32, Leaf> e : children) {
            orphans.remove(e.getKey());
        }
        return children;
    }

    /** True when {@code descendant} is {@code ancestor} or a stored descendant of it. */
    public boolean extendsLeaf(Bytes32 descendant, Bytes32 ancestor, View ancestorView) {
        Bytes32 cursor = descendant;
        while (true) {
            if (cursor.equals(ancestor)) {
                return true;
            }
            Leaf leaf = leaves.get(cursor);
            if (leaf == null || !leaf.view().isAfter(ancestorView) || cursor.equals(anchorCommitment)) {
                return false;
            }
            cursor = leaf.parentCommitment();
        }
    }

    /** The stored leaves from just after the anchor up to {@code tip}, ascending; empty if not connected. */
    public List<Leaf> chainFromAnchor(Bytes32 tip) {
        List<Leaf> chain = new ArrayList<>();
        Bytes32 cursor = tip;
        while (!cursor.equals(anchorCommitment)) {
            Leaf leaf = leaves.get(cursor);
            if (leaf == null || !leaf.view().isAfter(anchor.view())) {
                return List.of();
            }
            chain.add(leaf);
            cursor = leaf.parentCommitment();
        }
        Collections.reverse(chain);
        return chain;
    }

    /** Makes {@code newAnchor} the last decided leaf and drops every leaf that does not descend from it. */
    public void advanceAnchor(Bytes32 commitment, Leaf newAnchor) {
        anchor = newAnchor;
        anchorCommitment = commitment;
        List<Map.Entry<Bytes32, Leaf>> byView = new ArrayList<>(leaves.entrySet());
        byView.sort((a, b) -> a.getValue().view().compareTo(b.getValue().view()));
        Map<Bytes32, Leaf> kept = new HashMap<>();
        kept.put(commitment, newAnchor);
        for (Map.Entry<Bytes32, Leaf> e : byView) {
            if (e.getValue().view().isAfter(newAnchor.view()) && kept.containsKey(e.getValue().parentCommitment())) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        leaves.clear();
        leaves.putAll(kept);
        orphans.values().removeIf(l -> !l.view().isAfter(newAnchor.view()));
    }
}
