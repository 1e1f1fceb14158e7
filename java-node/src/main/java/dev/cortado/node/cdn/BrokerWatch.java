package dev.cortado.node.cdn;

/**
 * Decides whether a node should send through its broker, from what the node can observe: whether
 * views progress, and whether the broker returns the probes the node sends to itself. A broker that
 * keeps its session alive but stops relaying is invisible to the transport (it still answers
 * pings), so the judgement is made on consensus progress instead:
 * <ul>
 *   <li>while sending through a broker, {@code stallMs} without a new view puts the broker under
 *       suspicion: the node sends directly for at least the suspicion period;</li>
 *   <li>after that period the node probes the broker (a message to itself through it) and returns
 *       to it only when a probe comes back; a stall on return doubles the next suspicion period
 *       (capped), so a broker that relays probes but not messages gets an ever smaller share of
 *       time to stall the network;</li>
 *   <li>a broker caught forging a sender is suspected at once;</li>
 *   <li>the suspicion period falls back to its minimum after the broker carried the network
 *       through four periods without a stall.</li>
 * </ul>
 * Pure: the caller supplies the clock. The stall clock starts at the first view above 0 the node
 * reports, so a node still catching up at start-up does not blame its broker. Thread-safe (the event thread
 * reports views and sends, transport threads tick and see probes).
 */
public final class BrokerWatch {
    public enum Mode {
        /** Send through the broker. */
        BROKER,
        /** The broker is suspected: send directly. */
        DIRECT
    }

    private final long stallMs;
    private final long minSuspectMs;
    private final long maxSuspectMs;
    private Mode mode = Mode.BROKER;
    /** View 0 is where a node waits before it joins consensus: the stall clock starts at view 1. */
    private long lastView = 0;
    private long lastProgressMs = -1;
    private long suspectMs;
    private long suspectUntilMs;
    private long brokerSinceMs;
    private long suspicions;

    public BrokerWatch(long stallMs, long minSuspectMs, long maxSuspectMs) {
        if (stallMs <= 0 || minSuspectMs <= 0 || maxSuspectMs < minSuspectMs) {
            throw new IllegalArgumentException("need stallMs > 0 and 0 < minSuspectMs <= maxSuspectMs, got "
                    + stallMs + ", " + minSuspectMs + ", " + maxSuspectMs);
        }
        this.stallMs = stallMs;
        this.minSuspectMs = minSuspectMs;
        this.maxSuspectMs = maxSuspectMs;
        this.suspectMs = minSuspectMs;
    }

    /** The node's current view; a higher one than before is progress. */
    public synchronized void viewIs(long view, long nowMs) {
        if (view > lastView) {
            lastView = view;
            lastProgressMs = nowMs;
        }
    }

    /** Re-evaluates the stall rule and returns the mode to send in now. */
    public synchronized Mode mode(long nowMs) {
        if (mode == Mode.BROKER && lastProgressMs >= 0) {
            if (nowMs - lastProgressMs > stallMs) {
                suspect(nowMs);
            } else if (nowMs - brokerSinceMs > 4 * suspectMs) {
                suspectMs = minSuspectMs;
            }
        }
        return mode;
    }

    /** Whether a probe should go out now: suspected, and the suspicion period is over. */
    public synchronized boolean probeDue(long nowMs) {
        return mode == Mode.DIRECT && nowMs >= suspectUntilMs;
    }

    /** A probe came back through the broker: it relays again. */
    public synchronized void probeReturned(long nowMs) {
        if (mode == Mode.DIRECT && nowMs >= suspectUntilMs) {
            mode = Mode.BROKER;
            brokerSinceMs = nowMs;
            // A fresh stall window: the views that stalled before the return are not the broker's fault now.
            lastProgressMs = Math.max(lastProgressMs, nowMs);
        }
    }

    /** The broker delivered a message with a forged origin. */
    public synchronized void forgery(long nowMs) {
        if (mode == Mode.BROKER) {
            suspect(nowMs);
        } else {
            suspectUntilMs = Math.max(suspectUntilMs, nowMs + suspectMs);
        }
    }

    /** How many times the broker was suspected. */
    public synchronized long suspicions() {
        return suspicions;
    }

    private void suspect(long nowMs) {
        mode = Mode.DIRECT;
        suspicions++;
        suspectUntilMs = nowMs + suspectMs;
        suspectMs = Math.min(maxSuspectMs, suspectMs * 2);
    }
}
