package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hidden lock and forks below it. As next leader it keeps most QCs it forms to itself, so the view
 * times out, and shortly after releases the QC to one honest replica only (inside a timeout vote): that
 * replica may decide on it while nobody else knows. When it leads after a timeout it picks, at random, one
 * of: an honest proposal; a fork on the newest QC below the TC's high QC with the genuine TC (only the lock
 * check stops it); the same fork with the TC's high QC swapped for the stale one (only the TC's proof of
 * its high QC stops it); a proposal on a QC the coalition hid, with a TC it assembles to carry that QC
 * (what breaks a decide rule that does not insist on consecutive views). It votes without a lock.
 */
final class QcWithholder implements Adversary {
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
    public void onQuorum(Context c, QuorumCertificate qc, List<QuorumVote> votes) {
        if (c.random().nextInt(4) == 0) {
            c.coalition().published(qc);
            c.reveal(votes);
            return;
        }
        c.later(c.random().nextInt(400), () -> {
            List<Integer> honest = new ArrayList<>();
            for (int r = 0; r < c.size(); r++) {
                if (c.isHonest(r)) {
                    honest.add(r);
                }
            }
            if (honest.isEmpty()) {
                return;
            }
            int to = honest.get(c.random().nextInt(honest.size()));
            View view = View.of(Math.max(c.currentView().value(), qc.view().value() + 1));
            c.timeoutVote(view, qc, to);
        });
    }

    @Override
    public void onLead(Context c, View view) {
        Optional<TimeoutCertificate> tc = c.tcFor(View.of(view.value() - 1));
        if (tc.isEmpty()) {
            Adversary.proposeOnObservedHighQc(c, view, r -> true, r -> true);
            return;
        }
        boolean done = switch (c.random().nextInt(4)) {
            case 1 -> forkBelow(c, view, tc.get(), false);
            case 2 -> forkBelow(c, view, tc.get(), true);
            case 3 -> onHidden(c, view, tc.get());
            default -> false;
        };
        if (!done) {
            Adversary.proposeOnObservedHighQc(c, view, r -> true, r -> true);
        }
    }

    private static boolean forkBelow(Context c, View view, TimeoutCertificate tc, boolean swapTcHighQc) {
        QuorumCertificate stale = null;
        for (QuorumCertificate qc : c.coalition().qcs()) {
            if (qc.view().isBefore(tc.highQc().view()) && c.coalition().leaf(qc.leafCommitment()) != null) {
                stale = qc;
            }
        }
        if (stale == null) {
            return false;
        }
        Optional<TimeoutCertificate> carried = swapTcHighQc
                ? Optional.of(new TimeoutCertificate(tc.view(), stale, tc.parts()))
                : Optional.of(tc);
        return propose(c, view, stale, carried);
    }

    private static boolean onHidden(Context c, View view, TimeoutCertificate tc) {
        List<QuorumCertificate> hidden = c.coalition().hiddenQcs().stream()
                .filter(qc -> qc.view().isBefore(tc.view()) && c.coalition().leaf(qc.leafCommitment()) != null)
                .toList();
        if (hidden.isEmpty()) {
            return false;
        }
        QuorumCertificate pick = hidden.get(c.random().nextInt(hidden.size()));
        Optional<TimeoutCertificate> carried = pick.view().isBefore(tc.highQc().view()) ? Optional.of(tc)
                : c.tcCarrying(tc.view(), pick);
        if (carried.isEmpty()) {
            return false;
        }
        c.coalition().published(pick);
        return propose(c, view, pick, carried);
    }

    private static boolean propose(Context c, View view, QuorumCertificate justify, Optional<TimeoutCertificate> tc) {
        Leaf parent = c.coalition().leaf(justify.leafCommitment());
        Leaf leaf = new Leaf(Simulation.CHAIN_ID, view, parent.height().next(), justify.leafCommitment(),
                c.block(view, 2), justify.view());
        c.propose(leaf, justify, tc, r -> true, r -> true);
        return true;
    }
}
