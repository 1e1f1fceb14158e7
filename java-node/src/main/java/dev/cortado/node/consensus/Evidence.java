package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;

/** Proof that a replica signed two conflicting statements in one view. Both halves carry valid signatures. */
public sealed interface Evidence {
    View view();

    int offender();

    record ProposalEquivocation(View view, int offender, Proposal first, Proposal second) implements Evidence {
    }

    record VoteEquivocation(View view, int offender, QuorumVote first, QuorumVote second) implements Evidence {
    }
}
