package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Proposal;
import dev.cortado.protocol.types.View;

/**
 * Votes for the first valid proposal of every view it has not voted in, whatever it is locked on: it has
 * no lock. Leads like an honest replica. Its votes are what a fork needs besides the honest ones.
 */
final class LockForgetter implements Adversary {
    private View lastVoted = View.ZERO;

    @Override
    public void onProposal(Context c, Proposal proposal) {
        View view = proposal.leaf().view();
        if (view.isAfter(lastVoted)) {
            lastVoted = view;
            c.vote(view, proposal.leaf().commitment());
        }
    }
}
