package dev.cortado.devnet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Waiting for processes to end, with a deadline instead of sleeps. */
public final class Processes {
    private Processes() {}

    /** Fails unless every process has exited within 15 seconds. */
    public static void awaitDead(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ProcessHandle p : processes) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs > 0) {
                p.onExit().completeOnTimeout(p, leftMs, TimeUnit.MILLISECONDS).join();
            }
        }
        assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive), "orphan processes left: " + processes);
    }
}
