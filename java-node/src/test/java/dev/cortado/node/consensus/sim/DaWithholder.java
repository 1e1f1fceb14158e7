package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * As leader, proposes a valid leaf but lets its data reach only honest replicas holding at most 1/3 of the
 * stake (often none), and votes for it. Honest replicas must not vote without the data: otherwise a block
 * nobody can reconstruct is decided. Otherwise it votes for the first proposal of every view.
 */
final class DaWithholder implements Adversary {
    private View lastVoted = View.ZERO;

    @Override
    public void onProposal(Context c, Proposal proposal) {
        View view = proposal.leaf().view();
        if (view.isAfter(lastVoted)) {
            lastVoted = view;
            c.vote(view, proposal.leaf().commitment());
        }
    }

    @Override
    public void onLead(Context c, View view) {
        List<Integer> honest = new ArrayList<>();
        for (int r = 0; r < c.size(); r++) {
            if (c.isHonest(r)) {
                honest.add(r);
            }
        }
        Collections.shuffle(honest, c.random());
        Set<Integer> withData = new HashSet<>();
        long stake = 0;
        if (c.random().nextInt(3) != 0) {
            for (int r : honest) {
                if (3 * (stake + c.stakeGwei(r)) <= c.totalStakeGwei()) {
                    stake += c.stakeGwei(r);
                    withData.add(r);
                }
            }
        }
        Optional<Proposal> p = Adversary.proposeOnObservedHighQc(c, view, r -> true,
                r -> !c.isHonest(r) || withData.contains(r));
        p.ifPresent(proposal -> {
            lastVoted = view;
            c.vote(view, proposal.leaf().commitment());
        });
    }
}
