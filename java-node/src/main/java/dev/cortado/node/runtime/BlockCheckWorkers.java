package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The stateless block checks ({@link Blocks#check}, {@link Blocks#checkHeaderOnly}: parse, Merkle roots, VID encode)
 * on a small pool of their own, so a 1 MiB block no longer holds the event thread for its parse and encode while
 * votes, timeouts and DA certificates wait behind it. The pipeline stays pure and on the event thread: a check's
 * outcome comes back as a {@link NodeEvent.BlockChecked} and is fed to it then, exactly as the synchronous check did.
 *
 * <p>Bounded against peers: only screened work is accepted (a leader-signed proposal, one per view, or a reply for a
 * block the pipeline wants), at most {@link #MAX_PENDING} checks wait or run at once, at most {@link #MAX_PER_VIEW}
 * of them for one view, and fetch replies, which any peer can send, take at most half the slots, so junk replies
 * cannot crowd out proposals. Work beyond that is refused at once (the caller decides what a refusal means). A
 * check whose view the node has left by more than {@link ProposalScreen#PAST_VIEWS} by the time a worker reaches it
 * is skipped: its verdict could no longer matter, and under a backlog the worker's time goes to current views.
 *
 * <p>Outcomes are delivered in submission order, whichever worker finishes first, so the pipeline sees proposals
 * in the order they arrived, as before.
 */
final class BlockCheckWorkers implements AutoCloseable {
    static final int MAX_PENDING = 8;
    static final int MAX_PER_VIEW = 2;
    static final int MAX_FETCHES = MAX_PENDING / 2;

    /** What a check is about: a screened proposal, or a fetched block the pipeline asked for. */
    sealed interface Subject {
        long view();

        record Proposed(int from, Proposal proposal) implements Subject {
            @Override
            public long view() {
                return proposal.leaf().view().value();
            }
        }

        record Fetched(Leaf leaf) implements Subject {
            @Override
            public long view() {
                return leaf.view().value();
            }
        }
    }

    /** The check itself, run on a worker; it must only read immutable or thread-safe state. */
    @FunctionalInterface
    interface Check {
        KnownBlock run() throws BlockRejected;
    }

    /** A finished check: the block if it passed, else the reason it was refused. */
    record Done(Subject subject, KnownBlock block, String refusal, long submittedNanos) {
        Done {
            if ((block == null) == (refusal == null)) {
                throw new IllegalArgumentException("a check has either a block or a refusal");
            }
        }
    }

    /** Why {@link #submit} refused a check. */
    enum Refusal {
        /** {@link #MAX_PENDING} checks are waiting or running. */
        FULL,
        /** {@link #MAX_PER_VIEW} checks for this view are waiting or running. */
        VIEW_FULL,
        /** Fetch replies hold {@link #MAX_FETCHES} slots. */
        FETCHES_FULL
    }

    private static final class Slot {
        final Subject subject;
        final long submittedNanos;
        /** Set once, under the workers' monitor; a skipped check completes with neither. */
        boolean finished;
        Done done;

        Slot(Subject subject, long submittedNanos) {
            this.subject = subject;
            this.submittedNanos = submittedNanos;
        }
    }

    private final ThreadPoolExecutor pool;
    private final Consumer<Done> deliver;
    private final LongSupplier currentView;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private final Timer checkTimer;
    private final Timer checkCpu;
    private final Counter refused;
    private final Counter skipped;
    /** Submitted checks in order, until delivered; guarded by {@code this}. */
    private final ArrayDeque<Slot> order = new ArrayDeque<>();
    private final Map<Long, Integer> perView = new HashMap<>();
    private int fetches;

    /**
     * @param threads workers (at least one)
     * @param currentView the node's current view, read from any thread
     * @param deliver takes finished checks in submission order, on a worker's thread; must not block
     */
    BlockCheckWorkers(int threads, String threadPrefix, LongSupplier currentView, Consumer<Done> deliver, MeterRegistry registry,
            Timer checkTimer) {
        this.deliver = deliver;
        this.currentView = currentView;
        this.checkTimer = checkTimer;
        this.checkCpu = Timer.builder("cortado.block.check.cpu").description("CPU time of one block check on its worker")
                .register(registry);
        this.refused = Counter.builder("cortado_block_checks_refused_total")
                .description("block checks refused because the check workers' bounded queue was full").register(registry);
        this.skipped = Counter.builder("cortado_block_checks_skipped_total")
                .description("queued block checks skipped because their view had passed").register(registry);
        AtomicInteger n = new AtomicInteger();
        // The queue can never overflow: submit admits at most MAX_PENDING checks, running ones included.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_PENDING), r -> {
            Thread t = new Thread(r, threadPrefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** Workers for a node: one per core, at most two, since the event thread and the I/O threads need the rest. */
    static int defaultThreads() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Whether a check of {@code view} is too old to matter at {@code currentView}: the proposal screen's stale bound. */
    static boolean outlived(long view, long currentView) {
        return view < currentView - ProposalScreen.PAST_VIEWS;
    }

    /** Queues {@code check}; null if it was queued, else why not (nothing is queued then). Any thread. */
    Refusal submit(Subject subject, Check check) {
        Slot slot;
        synchronized (this) {
            Refusal why = order.size() >= MAX_PENDING ? Refusal.FULL
                    : perView.getOrDefault(subject.view(), 0) >= MAX_PER_VIEW ? Refusal.VIEW_FULL
                    : subject instanceof Subject.Fetched && fetches >= MAX_FETCHES ? Refusal.FETCHES_FULL : null;
            if (why != null) {
                refused.increment();
                return why;
            }
            slot = new Slot(subject, System.nanoTime());
            order.add(slot);
            perView.merge(subject.view(), 1, Integer::sum);
            if (subject instanceof Subject.Fetched) {
                fetches++;
            }
        }
        try {
            pool.execute(() -> run(slot, check));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            finish(slot, null);
            return Refusal.FULL;
        }
        return null;
    }

    /** Checks waiting, running, or finished but not yet delivered (at most {@link #MAX_PENDING}). */
    synchronized int pending() {
        return order.size();
    }

    private void run(Slot slot, Check check) {
        Done done = null;
        if (outlived(slot.subject.view(), currentView.getAsLong())) {
            skipped.increment();
        } else {
            long startNanos = System.nanoTime();
            long startCpuNanos = THREADS.getCurrentThreadCpuTime();
            try {
                done = new Done(slot.subject, check.run(), null, slot.submittedNanos);
            } catch (BlockRejected e) {
                done = new Done(slot.subject, null, e.getMessage(), slot.submittedNanos);
            } catch (RuntimeException e) {
                // A check is pure over the peer's bytes; a crash in it is a refusal of those bytes, not of the node.
                done = new Done(slot.subject, null, "block check failed: " + e, slot.submittedNanos);
            }
            StageMetrics.record(checkTimer, startNanos);
            // Wall time far above CPU time means the worker waited for a core: the machine, not the check, is slow.
            checkCpu.record(Math.max(0, THREADS.getCurrentThreadCpuTime() - startCpuNanos), TimeUnit.NANOSECONDS);
        }
        finish(slot, done);
    }

    private synchronized void finish(Slot slot, Done done) {
        slot.finished = true;
        slot.done = done;
        List<Done> ready = new ArrayList<>();
        while (!order.isEmpty() && order.peek().finished) {
            Slot s = order.poll();
            perView.computeIfPresent(s.subject.view(), (v, c) -> c == 1 ? null : c - 1);
            if (s.subject instanceof Subject.Fetched) {
                fetches--;
            }
            if (s.done != null) {
                ready.add(s.done);
            }
        }
        // Under the monitor, so two workers finishing together cannot swap the order of what they deliver.
        ready.forEach(deliver);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
