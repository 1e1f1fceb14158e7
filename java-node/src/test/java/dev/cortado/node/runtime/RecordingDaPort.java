package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;

/** What a {@link DaGate} asked of its node, for the gate tests: availability signals, DA votes, certificates, fetches. */
final class RecordingDaPort implements DaPort {
    final List<Bytes32> available = new ArrayList<>();
    final List<Integer> votesTo = new ArrayList<>();
    final List<NodeMessage.DaCertMsg> certs = new ArrayList<>();
    /** The share proposals the gate sent, by recipient. */
    final java.util.Map<Integer, NodeMessage.ShareProposalMsg> shareProposals = new java.util.TreeMap<>();
    int fetches;

    @Override
    public void send(int peer, NodeMessage message) {
        if (message instanceof NodeMessage.DaVoteMsg) {
            votesTo.add(peer);
        }
        if (message instanceof NodeMessage.ShareProposalMsg p) {
            shareProposals.put(peer, p);
        }
    }

    @Override
    public void broadcastCommittee(NodeMessage message) {
    }

    @Override
    public void broadcastAll(NodeMessage message) {
        if (message instanceof NodeMessage.DaCertMsg c) {
            certs.add(c);
        }
    }

    @Override
    public void dataAvailable(View view, Bytes32 blockCommitment) {
        available.add(blockCommitment);
    }

    @Override
    public boolean hasBlock(Bytes32 blockCommitment) {
        return true;
    }

    @Override
    public void fetchBlock(Leaf leaf, int member) {
        fetches++;
    }
}
