package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * A Byzantine strategy. It sees what its replica receives and what the coalition of Byzantine replicas
 * knows, and decides every message itself, signing with its own key: nothing it sends passes through
 * the honest voting rules. {@link ByzantineReplica} keeps an observer core only to follow views and time
 * out, and calls these hooks.
 */
sealed interface Adversary permits LockForgetter, BranchBacker, QcWithholder, Flooder, DaWithholder {

    /** What an adversary can see and do. */
    interface Context {
        int me();

        int size();

        long nowMs();

        Random random();

        /** The observer core's view. */
        View currentView();

        int leaderOf(View view);

        boolean isHonest(int replica);

        /** Stake of {@code replica} and of everyone. */
        long stakeGwei(int replica);

        long totalStakeGwei();

        Coalition coalition();

        /** The highest QC any honest replica has shown (the coalition's hidden ones excluded). */
        QuorumCertificate publicHighQc();

        /** The observer core's high QC (what an honest leader here would extend). */
        QuorumCertificate observedHighQc();

        /** A TC for {@code view}, seen or assembled from the timeout votes the coalition holds. */
        Optional<TimeoutCertificate> tcFor(View view);

        /**
         * A TC for {@code view} whose high QC is {@code carry}: the timeout votes the coalition holds plus one
         * this replica signs for {@code carry}'s view. Empty without a quorum.
         */
        Optional<TimeoutCertificate> tcCarrying(View view, QuorumCertificate carry);

        /** A block commitment for a proposal of this replica in {@code view}. */
        Bytes32 block(View view, int variant);

        /** Signs {@code leaf} and sends it to the replicas in {@code to}, data to those in {@code dataTo}. */
        Proposal propose(Leaf leaf, QuorumCertificate justify, Optional<TimeoutCertificate> tc, IntPredicate to,
                IntPredicate dataTo);

        /** Signs a vote for {@code leafCommitment} in {@code view} and sends it to the next leader. */
        void vote(View view, Bytes32 leafCommitment);

        /** Signs a timeout vote for {@code view} carrying {@code highQc}; to everyone when {@code to < 0}. */
        void timeoutVote(View view, QuorumCertificate highQc, int to);

        /** Lets the observer core count {@code votes} (so it forms the QC and moves on). */
        void reveal(List<QuorumVote> votes);

        void sendRaw(int to, Payload payload);

        /** Runs {@code action} after {@code delayMs} of virtual time. */
        void later(long delayMs, Runnable action);
    }

    /** A proposal whose proposer leads its view and whose signature and certificates verify. */
    void onProposal(Context c, Proposal proposal);

    /** Votes sent to this replica reached a quorum for {@code qc}. */
    default void onQuorum(Context c, QuorumCertificate qc, List<QuorumVote> votes) {
        c.reveal(votes);
    }

    /** This replica leads {@code view}: its observer holds QC(view - 1) or TC(view - 1). */
    default void onLead(Context c, View view) {
        proposeOnObservedHighQc(c, view, r -> true, r -> true);
    }

    /** The observer timed out in {@code view}. */
    default void onTimeout(Context c, View view) {
        c.timeoutVote(view, c.publicHighQc(), -1);
    }

    default void onTick(Context c) {
    }

    /** What an honest leader would propose: a child of the observed high QC, with data for everyone. */
    static Optional<Proposal> proposeOnObservedHighQc(Context c, View view, IntPredicate to,
            IntPredicate dataTo) {
        QuorumCertificate justify = c.observedHighQc();
        Leaf parent = c.coalition().leaf(justify.leafCommitment());
        if (parent == null || !justify.view().isBefore(view)) {
            return Optional.empty();
        }
        Optional<TimeoutCertificate> tc = justify.view().value() + 1 == view.value() ? Optional.empty()
                : c.tcFor(View.of(view.value() - 1));
        if (justify.view().value() + 1 != view.value() && tc.isEmpty()) {
            return Optional.empty();
        }
        Leaf leaf = new Leaf(Simulation.CHAIN_ID, view, parent.height().next(), justify.leafCommitment(),
                c.block(view, 0), justify.view());
        return Optional.of(c.propose(leaf, justify, tc, to, dataTo));
    }
}
