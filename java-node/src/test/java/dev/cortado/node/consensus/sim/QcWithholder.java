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
 * The hidden lock, forks below it and below a decision, and hidden branches. As next leader it keeps most
 * QCs it forms to itself, so the view times out; right after it proposes in the next view it hands the QC
 * to one honest replica only (inside a timeout vote), which may decide on it while nobody else knows.
 * Leading after a timeout, with honest neighbours in the rotation, it picks at random: an honest proposal;
 * a sibling of a decided block; a fork on the newest QC below the TC's high QC with the genuine TC (only the
 * lock check stops it); the same fork with the TC's high QC swapped for the stale one (only the TC's proof
 * of its high QC stops it); or a proposal on a hidden QC. When the coalition leads several views in a row
 * it plays the classic attack on a decide rule without consecutive views: the first leader proposes a
 * sibling of the QC it hid, the next ones each extend the older of the two newest hidden branches with a
 * TC that carries it, and the QC of such a lifted branch goes to one honest replica. It votes without a lock.
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
        // When the coalition also leads the view after the one this replica leads, the QC stays hidden for
        // it: a run of Byzantine leaders can then certify two branches (see onLead).
        boolean coalitionNext = !c.isHonest(c.leaderOf(View.of(qc.view().value() + 2)));
        boolean lifted = c.coalition().isLifted(qc.leafCommitment());
        if (coalitionNext && !lifted) {
            return;
        }
        if (!lifted && c.random().nextInt(4) == 0) {
            c.coalition().published(qc);
            c.reveal(votes);
            return;
        }
        // This replica leads the next view: right after proposing there it hands the QC to one honest
        // replica, which may decide on it while the others follow what was just proposed.
        c.coalition().releaseLater(qc);
    }

    private static void releaseToOne(Context c, QuorumCertificate qc) {
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
    }

    @Override
    public void onLead(Context c, View view) {
        Optional<TimeoutCertificate> tc = c.tcFor(View.of(view.value() - 1));
        if (tc.isEmpty()) {
            Adversary.proposeOnObservedHighQc(c, view, r -> true, r -> true);
            release(c);
            return;
        }
        boolean done;
        if (!c.isHonest(c.leaderOf(View.of(view.value() - 1)))) {
            // Inside a run of coalition leaders: lift the older of the two newest hidden branches, so that a
            // branch the coalition certified in between stays newer than every honest lock.
            done = liftOlderHidden(c, view, tc.get());
        } else if (!c.isHonest(c.leaderOf(view.next()))) {
            // The next leader is ours too: propose what an honest leader would (a sibling of any QC hidden now).
            done = false;
        } else {
            done = switch (c.random().nextInt(8)) {
                case 1 -> forkBelowDecision(c, view, tc.get());
                case 2, 3, 4 -> forkBelow(c, view, tc.get(), false);
                case 5, 6 -> forkBelow(c, view, tc.get(), true);
                case 7 -> onHidden(c, view, tc.get(), c.coalition().hiddenQcs());
                default -> false;
            };
        }
        if (!done) {
            Adversary.proposeOnObservedHighQc(c, view, r -> true, r -> true);
        }
        release(c);
    }

    private static void release(Context c) {
        for (QuorumCertificate qc : c.coalition().takeReleases()) {
            c.later(c.random().nextInt(20), () -> releaseToOne(c, qc));
        }
    }

    private static boolean liftOlderHidden(Context c, View view, TimeoutCertificate tc) {
        List<QuorumCertificate> recent = c.coalition().hiddenQcs().stream()
                .filter(qc -> qc.view().value() + 8 >= view.value()).toList();
        return recent.size() >= 2 && onHidden(c, view, tc, List.of(recent.get(recent.size() - 2)));
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

    /**
     * A fork below a decision: a child of a certified leaf below the decided height (any the coalition still
     * holds, so sometimes several blocks deep), with the genuine TC or with its high QC swapped for that old
     * one. Honest replicas may no longer hold that parent (their store starts at the decided tip), so this also
     * shows that they refuse it without fetching or waiting forever.
     */
    private static boolean forkBelowDecision(Context c, View view, TimeoutCertificate tc) {
        long decided = c.coalition().decidedHeight();
        List<QuorumCertificate> below = new ArrayList<>();
        for (QuorumCertificate qc : c.coalition().qcs()) {
            Leaf leaf = c.coalition().leaf(qc.leafCommitment());
            if (leaf != null && leaf.height().value() < decided && qc.view().isBefore(tc.highQc().view())) {
                below.add(qc);
            }
        }
        if (below.isEmpty()) {
            return false;
        }
        QuorumCertificate pick = below.get(c.random().nextInt(below.size()));
        Optional<TimeoutCertificate> carried = c.random().nextBoolean() ? Optional.of(tc)
                : Optional.of(new TimeoutCertificate(tc.view(), pick, tc.parts()));
        return propose(c, view, pick, carried);
    }

    private static boolean onHidden(Context c, View view, TimeoutCertificate tc, List<QuorumCertificate> from) {
        List<QuorumCertificate> hidden = from.stream()
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
        c.coalition().markLifted(leafOf(c, view, pick));
        return propose(c, view, pick, carried);
    }

    private static boolean propose(Context c, View view, QuorumCertificate justify, Optional<TimeoutCertificate> tc) {
        c.propose(c.coalition().leaf(leafOf(c, view, justify)), justify, tc, r -> true, r -> true);
        return true;
    }

    /** The leaf this replica proposes in {@code view} on {@code justify} (learned by the coalition). */
    private static dev.cortado.protocol.types.Bytes32 leafOf(Context c, View view, QuorumCertificate justify) {
        Leaf parent = c.coalition().leaf(justify.leafCommitment());
        Leaf leaf = new Leaf(Simulation.CHAIN_ID, view, parent.height().next(), justify.leafCommitment(),
                c.block(view, 2), justify.view());
        c.coalition().learnLeaf(leaf);
        return leaf.commitment();
    }
}
