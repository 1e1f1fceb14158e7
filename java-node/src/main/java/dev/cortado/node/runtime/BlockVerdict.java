package dev.cortado.node.runtime;

import dev.cortado.protocol.types.Bytes32;

/** The pipeline's answer about a proposed block: whether this node may treat it as valid for voting. */
sealed interface BlockVerdict {
    /** Valid in its context: the node may vote for it and review its payload. */
    record Accept() implements BlockVerdict {
    }

    /** Not worth an answer (stale view); nothing wrong with the sender. */
    record Ignore(String reason) implements BlockVerdict {
    }

    /** Invalid in its context; the reason names the failing check and values. */
    record Reject(String reason) implements BlockVerdict {
    }

    /** Valid so far, but something it depends on is not here yet; the block is re-checked when it arrives. */
    record Defer(Waiting waitingFor) implements BlockVerdict {
        static Defer ancestor(Bytes32 missingAncestorBlock) {
            return new Defer(new Waiting.Ancestor(missingAncestorBlock));
        }

        static Defer l1(long l1Head, long seenL1Block) {
            return new Defer(new Waiting.L1Block(l1Head, seenL1Block));
        }
    }

    /** What a deferred block waits for. */
    sealed interface Waiting {
        /** An undecided ancestor's transactions are unknown; it was requested. */
        record Ancestor(Bytes32 missingAncestorBlock) implements Waiting {
        }

        /** The header's l1Head is beyond the L1 block this node's follower has seen (within the allowed lead). */
        record L1Block(long l1Head, long seenL1Block) implements Waiting {
        }
    }
}
