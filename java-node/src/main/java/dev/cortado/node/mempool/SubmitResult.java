package dev.cortado.node.mempool;

import dev.cortado.protocol.types.Bytes32;

/** The outcome of a submission; a refusal always says why. */
public sealed interface SubmitResult {
    record Accepted(Bytes32 hash) implements SubmitResult {}

    /** Already pending or already decided; nothing changes and the hash is returned again. */
    record Duplicate(Bytes32 hash) implements SubmitResult {}

    record Refused(Reason reason, String detail) implements SubmitResult {}

    enum Reason {
        EMPTY_TRANSACTION,
        TRANSACTION_TOO_LARGE,
        MALFORMED_NAMESPACE,
        NAMESPACE_FULL,
        MEMPOOL_FULL,
        /** The node's undecided backlog is at its limit; the client should wait and retry (HTTP 429, Retry-After). */
        BACKLOG
    }
}
