package dev.cortado.lightclient.submit;

/** What a node said about one transaction of a batch. */
public sealed interface SubmitOutcome {
    /** In the mempool (or already pending or decided, when {@code duplicate}); {@code hash} is 0x-hex. */
    record Accepted(String hash, boolean duplicate) implements SubmitOutcome {}

    /** Refused on its own, with the API's error code (for example {@code mempool_full}) and detail. */
    record Refused(String error, String detail) implements SubmitOutcome {}
}
