package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Valid proposals whose parent leaf is not known yet, keyed by that parent's commitment. Bounded in total
 * ({@code maxPendingLeaves}); a decision drops those at or below the decided view, which can never be stored.
 */
final class DeferredProposals {
    /** A proposal waiting for its parent, with the peer that delivered it (asked for the parent first). */
    record Deferred(int from, CoreState.SeenProposal seen) {
    }

    private final int max;
    private final Map<Bytes32, List<Deferred>> waitingOnParent = new HashMap<>();
    private int count;

    DeferredProposals(int max) {
        this.max = max;
    }

    boolean isFull() {
        return count >= max;
    }

    void add(Bytes32 parent, Deferred deferred) {
        waitingOnParent.computeIfAbsent(parent, c -> new ArrayList<>()).add(deferred);
        count++;
    }

    /** Removes and returns the proposals waiting on {@code parent} (none: null). */
    List<Deferred> take(Bytes32 parent) {
        List<Deferred> waiting = waitingOnParent.remove(parent);
        if (waiting != null) {
            count -= waiting.size();
        }
        return waiting;
    }

    void dropAtOrBelow(View decided) {
        waitingOnParent.values().forEach(list -> {
            int before = list.size();
            list.removeIf(d -> !d.seen().proposal().leaf().view().isAfter(decided));
            count -= before - list.size();
        });
        waitingOnParent.values().removeIf(List::isEmpty);
    }

    int size() {
        return count;
    }

    Set<Bytes32> parents() {
        return waitingOnParent.keySet();
    }
}
