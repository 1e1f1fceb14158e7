package dev.cortado.node.bench;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop load shared by the network benchmarks ({@code bench network} against Cortado and {@code bench
 * peers} against Apache Ratis), so both systems see the same offered rate, batch shape and payloads: every
 * {@link #TICK_MS} one batch of the transactions owed at {@code rate}, at most {@link #MAX_IN_FLIGHT} batches
 * unanswered (a tick beyond that is skipped and its transactions are never sent, so {@code offered} counts what was
 * actually sent). Payloads are a fixed random pad whose first 8 bytes are the transaction's sequence number, so
 * every transaction is distinct.
 */
public final class OfferedLoad {
    public static final long TICK_MS = 20;
    public static final int MAX_IN_FLIGHT = 16;
    public static final int NAMESPACES = 4;

    private OfferedLoad() {}

    /** One tick's transactions: sequence numbers {@code first .. first+count-1}. */
    public record Batch(long first, int count, boolean measured, byte[] pad) {
        /** The payload of the k-th transaction of this batch. */
        public byte[] payload(int k) {
            byte[] p = pad.clone();
            long n = first + k;
            for (int b = 0; b < 8; b++) {
                p[b] = (byte) (n >>> (8 * b));
            }
            return p;
        }

        /** The namespace of the k-th transaction: round-robin over {@link #NAMESPACES}. */
        public long namespace(int k) {
            return 1 + (first + k) % NAMESPACES;
        }
    }

    /** Where the batches go; the system under test. */
    public interface Sink {
        /** Called once at the first tick of the measured window, before that tick's batch is built. */
        void measuring();

        /** Sends a batch; the future completes (either way) when the system has answered the request. */
        CompletableFuture<?> send(Batch batch);
    }

    /**
     * Offers {@code rate} transactions per second of {@code txBytes} bytes for {@code warmupMs} and then {@code
     * seconds}, and returns how many transactions were sent in the measured window.
     */
    public static long run(int rate, long warmupMs, int seconds, int txBytes, Sink sink) {
        byte[] pad = new byte[txBytes];
        new Random(7).nextBytes(pad);
        long begin = System.nanoTime();
        long measureFrom = begin + warmupMs * 1_000_000;
        long end = measureFrom + seconds * 1_000_000_000L;
        AtomicInteger inFlight = new AtomicInteger();
        boolean started = false;
        long offered = 0;
        long counter = 0;
        double perTick = rate * TICK_MS / 1000.0;
        double owed = 0;
        long next = begin;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            boolean measured = now >= measureFrom;
            if (measured && !started) {
                started = true;
                sink.measuring();
            }
            owed += perTick;
            int count = (int) owed;
            owed -= count;
            if (count > 0 && inFlight.get() < MAX_IN_FLIGHT) {
                Batch batch = new Batch(counter, count, measured, pad);
                counter += count;
                if (measured) {
                    offered += count;
                }
                inFlight.incrementAndGet();
                sink.send(batch).whenComplete((r, e) -> inFlight.decrementAndGet());
            }
            next += TICK_MS * 1_000_000;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        return offered;
    }
}
