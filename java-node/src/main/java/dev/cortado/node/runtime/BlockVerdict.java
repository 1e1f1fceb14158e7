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

    /** Valid so far, but an undecided ancestor's transactions are unknown; it was requested, and the block is re-checked on arrival. */
    record Defer(Bytes32 missingAncestorBlock) implements BlockVerdict {
    }
}
