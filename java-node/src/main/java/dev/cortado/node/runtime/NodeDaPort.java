package dev.cortado.node.runtime;

import dev.cortado.node.cdn.Topic;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;

/** {@link DaGate}'s view of the node: the network, the core's inputs and the pipeline's blocks. */
record NodeDaPort(PeerLink peers, PipelineDriver blocks, CoreLink core) implements DaPort {
    @Override
    public void send(int peer, NodeMessage message) {
        peers.send(peer, message);
    }

    @Override
    public void broadcastCommittee(NodeMessage message) {
        peers.broadcast(Topic.DA_COMMITTEE, message);
    }

    @Override
    public void broadcastAll(NodeMessage message) {
        peers.broadcast(Topic.ALL, message);
    }

    @Override
    public void dataAvailable(View view, Bytes32 blockCommitment) {
        long arrivedNanos = blocks.proposalArrivedNanos(view.value());
        if (arrivedNanos != 0) {
            StageMetrics.record(blocks.stages().proposalToDa, arrivedNanos);
        }
        core.enqueue(new Input.DataAvailable(view, blockCommitment));
    }

    @Override
    public boolean hasBlock(Bytes32 blockCommitment) {
        return blocks.pipeline().hasFullBlock(blockCommitment);
    }

    @Override
    public void fetchBlock(Leaf leaf, int member) {
        blocks.handle(new PipelineInput.Want(leaf, member));
    }
}
