package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Global safety: at most one leaf is ever decided at a height, across every honest replica, and each
 * replica's decided chain grows by contiguous, parent-linked leaves. Together these make every two decided
 * chains prefixes of one another.
 */
public final class SafetyChecker {
    private final Map<Long, Bytes32> decidedAtHeight = new HashMap<>();
    private final Map<Integer, Leaf> lastByReplica = new HashMap<>();
    private final Map<Integer, Bytes32> lastCommitmentByReplica = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    public SafetyChecker(Leaf genesis) {
        decidedAtHeight.put(0L, genesis.commitment());
    }

    /** Registers what {@code replica} has decided before this simulation (its starting chain tip). */
    public void start(int replica, Leaf tip) {
        lastByReplica.put(replica, tip);
        lastCommitmentByReplica.put(replica, tip.commitment());
    }

    public void onDecide(int replica, List<Leaf> leaves, long atMs) {
        for (Leaf leaf : leaves) {
            Bytes32 commitment = leaf.commitment();
            Leaf last = lastByReplica.get(replica);
            Bytes32 lastCommitment = lastCommitmentByReplica.get(replica);
            if (leaf.height().value() != last.height().value() + 1 || !leaf.parentCommitment().equals(lastCommitment)) {
                violations.add("at " + atMs + " ms replica " + replica + " decided " + leaf.height() + " "
                        + commitment + " which does not extend its previous decision " + last.height() + " "
                        + lastCommitment);
            }
            Bytes32 other = decidedAtHeight.putIfAbsent(leaf.height().value(), commitment);
            if (other != null && !other.equals(commitment)) {
                violations.add("at " + atMs + " ms replica " + replica + " decided " + commitment + " at "
                        + leaf.height() + " where " + other + " was decided");
            }
            lastByReplica.put(replica, leaf);
            lastCommitmentByReplica.put(replica, commitment);
        }
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public long decidedHeight(int replica) {
        return lastByReplica.get(replica).height().value();
    }
}
