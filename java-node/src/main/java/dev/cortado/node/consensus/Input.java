package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;

/**
 * Everything that can happen to a replica. {@code from} is the authenticated stake-table index of the peer
 * that delivered a message (the transport authenticates peers).
 */
public sealed interface Input {
    /** Enter the first view (after construction or restart) and arm its timer. */
    record Start() implements Input {
    }

    record ProposalReceived(int from, Proposal proposal) implements Input {
    }

    record VoteReceived(int from, QuorumVote vote) implements Input {
    }

    record TimeoutVoteReceived(int from, TimeoutVote vote) implements Input {
    }

    /** The timer scheduled by {@link Effect.ScheduleTimeout} for {@code view} fired. */
    record Timeout(View view) implements Input {
    }

    /** The driver built the block requested by {@link Effect.BuildBlock}. */
    record BlockBuilt(View view, Bytes32 blockCommitment) implements Input {
    }

    /** The DA certificate and this replica's own VID share for the block are present. */
    record DataAvailable(View view, Bytes32 blockCommitment) implements Input {
    }

    /** A peer's {@link HandoverProof} (from {@link Effect.BroadcastHandoverProof} or {@link Effect.SendHandoverProof}). */
    record HandoverProofReceived(int from, HandoverProof proof) implements Input {
    }

    /** A peer asks for the proof of {@code epoch}'s handover ({@link Effect.FetchHandoverProof}). */
    record HandoverProofRequested(int from, long epoch) implements Input {
    }

    /** Answer to {@link Effect.FetchLeaves}: the requested leaf, optionally followed by its ancestors. */
    record LeavesReceived(int from, List<Leaf> leaves) implements Input {
    }
}
