package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;

/** What {@link DaGate} may do outside itself: the node's network, its core and its block store, as a port. */
interface DaPort {
    void send(int peer, NodeMessage message);

    /** To every DA committee member. */
    void broadcastCommittee(NodeMessage message);

    /** To every node. */
    void broadcastAll(NodeMessage message);

    /** The core may treat the block as available (queued as a local input). */
    void dataAvailable(View view, Bytes32 blockCommitment);

    /** This node holds the full block with this header commitment. */
    boolean hasBlock(Bytes32 blockCommitment);

    /** Asks {@code member} for the full block of {@code leaf}. */
    void fetchBlock(Leaf leaf, int member);
}
