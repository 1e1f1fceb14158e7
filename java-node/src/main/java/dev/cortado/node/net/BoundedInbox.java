package dev.cortado.node.net;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue in front of a single consumer thread (the consensus event thread). Producers
 * that find it full register a wake-up and stop reading from their sockets; the consumer wakes
 * them once a quarter of the capacity is free again, so TCP flow control pushes back on senders.
 */
public final class BoundedInbox<T> {
    private final ArrayBlockingQueue<T> queue;
    private final int resumeAtFree;
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    public BoundedInbox(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("inbox capacity must be at least 4, got " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.resumeAtFree = Math.max(1, capacity / 4);
    }

    public boolean offer(T item) {
        return queue.offer(item);
    }

    /** Blocking put for producers that own a thread (timers, local submissions), never event loops. */
    public void put(T item) throws InterruptedException {
        queue.put(item);
    }

    /** Runs {@code wake} (on the consumer thread) once space is available again. */
    public void whenSpace(Runnable wake) {
        waiters.add(wake);
        if (queue.remainingCapacity() >= resumeAtFree) {
            wakeWaiters();
        }
    }

    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        T item = queue.poll(timeout, unit);
        if (item != null && !waiters.isEmpty() && queue.remainingCapacity() >= resumeAtFree) {
            wakeWaiters();
        }
        return item;
    }

    public int size() {
        return queue.size();
    }

    private void wakeWaiters() {
        Runnable r;
        while ((r = waiters.poll()) != null) {
            r.run();
        }
    }
}
