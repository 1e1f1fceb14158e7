package dev.cortado.node.runtime;

import java.util.ArrayDeque;

/**
 * Which followed L1 block a leader stamps as l1Head (pure; the clock is passed in). Replicas defer a proposal whose
 * l1Head they have not followed, and each follower polls on its own phase, so a leader that stamps a block the moment
 * its own follower sees it stalls the view until a quorum's followers have polled too: on the devnet (500 ms polls,
 * a block every 2 s) that was the p99 submit-to-decide. A leader therefore adopts a followed block only once it has
 * been followed for {@code adoptAfterMs} (the driver passes one and a half poll intervals), by which time every
 * follower polling at that interval has almost surely polled at least once; the rest ask for a poll at once. The
 * check of others' l1Heads is unchanged; this only chooses what to propose.
 */
final class L1Adoption {
    /** A follower catching up reports many blocks in a burst; only this many wait for adoption at once. */
    static final int MAX_WAITING = 64;

    private record Seen(long block, long firstSeenMs) {
    }

    private final ArrayDeque<Seen> waiting = new ArrayDeque<>();
    private long adopted;
    private long adoptAfterMs;

    /** The follower has followed {@code block} (higher than any before) as of {@code nowMs}. */
    void followed(long block, long nowMs, long adoptAfterMs) {
        this.adoptAfterMs = Math.max(0, adoptAfterMs);
        waiting.addLast(new Seen(block, nowMs));
        while (waiting.size() > MAX_WAITING) {
            adopted = Math.max(adopted, waiting.pollFirst().block());
        }
    }

    /** The highest followed block that has been followed for at least the adoption delay at {@code nowMs}. */
    long adopted(long nowMs) {
        while (!waiting.isEmpty() && nowMs - waiting.peekFirst().firstSeenMs() >= adoptAfterMs) {
            adopted = Math.max(adopted, waiting.pollFirst().block());
        }
        return adopted;
    }

    int waitingCount() {
        return waiting.size();
    }
}
