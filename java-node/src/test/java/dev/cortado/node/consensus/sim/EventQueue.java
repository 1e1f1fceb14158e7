package dev.cortado.node.consensus.sim;

import java.util.PriorityQueue;

/**
 * The simulation's one virtual-time queue: events ordered by time, then by the order they were scheduled, so two
 * events at the same millisecond always run in the same order and a seed replays the same trace. Apart from
 * {@link Simulation} so the ordering rule sits with the only code that can break it.
 */
final class EventQueue {
    sealed interface Event {
        record Deliver(int to, int from, Payload payload, int incarnation) implements Event {
        }

        record Crash(int node) implements Event {
        }

        record Restart(int node) implements Event {
        }

        record Tick(int node) implements Event {
        }

        record Heal() implements Event {
        }

        /** Faults stopped (network healed and the last restart done): the liveness clock starts. */
        record Quiet() implements Event {
        }

        record Callback(Runnable action) implements Event {
        }
    }

    record Scheduled(long atMs, long seq, Event event) {
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
    private long seq;

    void schedule(long atMs, Event event) {
        queue.add(new Scheduled(atMs, seq++, event));
    }

    /** The earliest event, removed. */
    Scheduled next() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
