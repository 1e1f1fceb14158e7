package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;

/**
 * What the driver must do, in list order. Contract: {@link PersistSafety} always precedes the
 * {@link SendVote}, {@link BroadcastTimeoutVote} or {@link BroadcastProposal} it protects, and the driver
 * must finish persisting (durably) before it sends that message.
 */
public sealed interface Effect {
    /** Send to every other replica; the leader has already processed its own proposal. */
    record BroadcastProposal(Proposal proposal) implements Effect {
    }

    record SendVote(int to, QuorumVote vote) implements Effect {
    }

    /** Send to every other replica; the sender has already counted its own vote. */
    record BroadcastTimeoutVote(TimeoutVote vote) implements Effect {
    }

    record PersistSafety(SafetyState state) implements Effect {
    }

    /** Deliver {@link Input.Timeout} for {@code view} at {@code atMs} (same clock as {@code nowMs}). */
    record ScheduleTimeout(View view, long atMs) implements Effect {
    }

    /** This replica leads {@code view}: build a block on {@code parent} and answer with {@link Input.BlockBuilt}. */
    record BuildBlock(View view, Leaf parent) implements Effect {
    }

    /** Ask {@code peer} for the leaf with {@code commitment} (and its ancestors); answer is {@link Input.LeavesReceived}. */
    record FetchLeaves(int peer, Bytes32 commitment) implements Effect {
    }

    /**
     * {@code leaves} (ascending, contiguous, extending the previous decision) are final. {@code commitQc}
     * certifies the child of the last leaf in the next view: the two-chain proof. When the decision reaches an
 * epoch's handover leaf, {@code leaves} stop there (the empty suffix leaves after it are never decided) and
 * {@code certifiedChild} is the two-chain's child, a descendant of the handover leaf.
     */
    record Decide(List<Leaf> leaves, Leaf certifiedChild, QuorumCertificate commitQc) implements Effect {
    }

    /** This replica decided an epoch's handover: send the proof to every other replica (once). */
    record BroadcastHandoverProof(HandoverProof proof) implements Effect {
    }

    /** {@code to} still speaks an epoch this replica has left: send it that epoch's handover proof. */
    record SendHandoverProof(int to, HandoverProof proof) implements Effect {
    }

    /**
     * A message of a later epoch arrived from {@code peer}: this replica missed a handover (an observer hears no
     * votes that would tell others it is behind). Ask {@code peer} for the proof of {@code epoch}'s handover; the
     * answer is {@link Input.HandoverProofReceived}.
     */
    record FetchHandoverProof(int peer, long epoch) implements Effect {
    }

    record ReportEquivocation(Evidence evidence) implements Effect {
    }

    record EnteredView(View view, int leader, String reason) implements Effect {
    }

    record LogVerdict(String input, int from, View view, Verdict verdict) implements Effect {
    }
}
