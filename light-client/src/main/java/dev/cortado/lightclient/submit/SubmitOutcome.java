package dev.cortado.lightclient.submit;

import java.time.Duration;

/** What a node said about one transaction of a batch. */
public sealed interface SubmitOutcome {
    /** In the mempool (or already pending or decided, when {@code duplicate}); {@code hash} is 0x-hex. */
    record Accepted(String hash, boolean duplicate) implements SubmitOutcome {}

    /** Refused on its own, with the API's error code (for example {@code mempool_full}) and detail. */
    record Refused(String error, String detail) implements SubmitOutcome {}

    /**
     * Not looked at: the node answered the whole request 429 {@code backlog} (its undecided backlog is at its limit)
     * and admitted none of it. The transaction may be sent again unchanged once {@code retryAfter} has passed; a
     * caller that keeps being told so should wait longer each time rather than resend at once.
     */
    record Backlogged(String detail, Duration retryAfter) implements SubmitOutcome {}
}
