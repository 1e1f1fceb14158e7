package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Backs both branches of every equivocation: votes for every distinct valid proposal of a view. As leader
 * it equivocates itself: two leaves on the same justify, one to the even and one to the odd replicas, each
 * with its own data, so each half can certify its own branch with the coalition's votes.
 */
final class BranchBacker implements Adversary {
    private final TreeMap<View, Set<Bytes32>> voted = new TreeMap<>();

    @Override
    public void onProposal(Context c, Proposal proposal) {
        View view = proposal.leaf().view();
        Set<Bytes32> inView = voted.computeIfAbsent(view, v -> new HashSet<>());
        if (inView.size() < 4 && inView.add(proposal.leaf().commitment())) {
            c.vote(view, proposal.leaf().commitment());
        }
        voted.headMap(View.of(Math.max(0, view.value() - 16))).clear();
    }

    @Override
    public void onLead(Context c, View view) {
        Optional<Proposal> first = Adversary.proposeOnObservedHighQc(c, view, r -> r % 2 == 0 || r % 3 == 0,
                r -> r % 2 == 0);
        if (first.isEmpty()) {
            return;
        }
        Proposal p = first.get();
        QuorumCertificate justify = p.justifyQc();
        Optional<TimeoutCertificate> tc = p.viewChange();
        Leaf l = p.leaf();
        Leaf other = new Leaf(l.chainId(), view, l.height(), l.parentCommitment(), c.block(view, 1), l.justifyView());
        // Even replicas get the first leaf, odd ones the second, each with its data; every third replica gets
        // both (and can prove the equivocation).
        c.propose(other, justify, tc, r -> r % 2 == 1 || r % 3 == 0, r -> r % 2 == 1);
    }
}
