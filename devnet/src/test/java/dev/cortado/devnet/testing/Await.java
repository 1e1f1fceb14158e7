package dev.cortado.devnet.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, polling briefly, instead of sleeping a guessed time. */
public final class Await {
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private Await() {}

    /** Returns once {@code condition} holds; fails with {@code what} and the last state after {@code timeoutMs}. */
    public static void until(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + "; " + state.get());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
