package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.protocol.types.Bytes32;

/** What the block side of the node may ask of the consensus driver (all on the event thread). */
interface CoreLink {
    /** Hands an input to the core now and carries out its effects. */
    void apply(Input input);

    /** Queues an input for the core after the current event. */
    void enqueue(Input input);

    Leaf knownLeaf(Bytes32 leafCommitment);

    long currentView();

    /** The core's stake-table epoch (0 for a network without epochs). */
    long currentEpoch();

    /** Remembers the justify QC of a proposal: it is stored with the block it certifies when that is decided. */
    void noteJustify(QuorumCertificate qc);
}
