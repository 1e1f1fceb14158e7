package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.types.Bytes32;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockCheckWorkersTest {
    private static final RuntimeFixtures F = new RuntimeFixtures();
    private static final KnownBlock BLOCK = new KnownBlock.Full(F.block(3, 2), 0);

    private final LinkedBlockingQueue<BlockCheckWorkers.Done> delivered = new LinkedBlockingQueue<>();
    private final AtomicLong view = new AtomicLong(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private BlockCheckWorkers workers;

    private BlockCheckWorkers workers(int threads) {
        workers = new BlockCheckWorkers(threads, "test-check-", view::get, delivered::add, registry,
                registry.timer("test.block.check"));
        return workers;
    }

    @AfterEach
    void close() {
        if (workers != null) {
            workers.close();
        }
    }

    private static BlockCheckWorkers.Subject proposed(long v) {
        return new BlockCheckWorkers.Subject.Proposed(F.leader(v), F.proposal(RuntimeFixtures.leaf(v, 1, Bytes32.ZERO), F.leader(v)));
    }

    private static BlockCheckWorkers.Subject fetched(long v) {
        return new BlockCheckWorkers.Subject.Fetched(RuntimeFixtures.leaf(v, 1, Bytes32.ZERO));
    }

    /** A check that holds its worker until {@code release} opens. */
    private static BlockCheckWorkers.Check held(CountDownLatch release) {
        return () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return BLOCK;
        };
    }

    private BlockCheckWorkers.Done next() throws InterruptedException {
        BlockCheckWorkers.Done d = delivered.poll(10, TimeUnit.SECONDS);
        assertTrue(d != null, "no check delivered within 10 s");
        return d;
    }

    private double refusedCount() {
        return registry.get("cortado_block_checks_refused_total").counter().count();
    }

    @Test
    void refusesEveryCheckBeyondItsBoundUntilOneIsDelivered() throws InterruptedException {
        workers(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int v = 1; v <= BlockCheckWorkers.MAX_PENDING; v++) {
            assertNull(workers.submit(proposed(v), held(release)), "check " + v + " within the bound");
        }
        // Queued, running or not, every further check is refused at once, whatever its view.
        assertEquals(BlockCheckWorkers.Refusal.FULL, workers.submit(proposed(100), () -> BLOCK));
        assertEquals(BlockCheckWorkers.Refusal.FULL, workers.submit(fetched(101), () -> BLOCK));
        assertEquals(2.0, refusedCount());
        assertEquals(BlockCheckWorkers.MAX_PENDING, workers.pending());
        assertTrue(delivered.isEmpty());
        release.countDown();
        for (int v = 1; v <= BlockCheckWorkers.MAX_PENDING; v++) {
            assertEquals(v, next().subject().view(), "delivered in submission order");
        }
        assertEquals(0, workers.pending());
        assertNull(workers.submit(proposed(100), () -> BLOCK), "room again once delivered");
        assertEquals(100, next().subject().view());
    }

    @Test
    void boundsTheChecksOfOneViewAndTheFetchReplies() throws InterruptedException {
        workers(1);
        CountDownLatch release = new CountDownLatch(1);
        assertNull(workers.submit(proposed(5), held(release)));
        assertNull(workers.submit(fetched(5), () -> BLOCK));
        assertEquals(BlockCheckWorkers.Refusal.VIEW_FULL, workers.submit(fetched(5), () -> BLOCK));
        // Any peer can send a fetch reply: they get half the slots, so proposals still find room.
        for (int v = 6; v < 6 + BlockCheckWorkers.MAX_FETCHES - 1; v++) {
            assertNull(workers.submit(fetched(v), () -> BLOCK));
        }
        assertEquals(BlockCheckWorkers.Refusal.FETCHES_FULL, workers.submit(fetched(50), () -> BLOCK));
        assertNull(workers.submit(proposed(51), () -> BLOCK), "a proposal still has a slot");
        release.countDown();
        List<Long> views = new ArrayList<>();
        for (int i = 0; i < BlockCheckWorkers.MAX_FETCHES + 2; i++) {
            views.add(next().subject().view());
        }
        assertEquals(List.of(5L, 5L, 6L, 7L, 8L, 51L), views);
    }

    @Test
    void aFastCheckWaitsForTheSlowerOneSubmittedBeforeIt() throws InterruptedException {
        workers(2);
        CountDownLatch release = new CountDownLatch(1);
        assertNull(workers.submit(proposed(1), held(release)));
        CountDownLatch secondRan = new CountDownLatch(1);
        assertNull(workers.submit(proposed(2), () -> {
            secondRan.countDown();
            return BLOCK;
        }));
        assertTrue(secondRan.await(10, TimeUnit.SECONDS), "the second check ran on the other worker");
        assertNull(delivered.poll(100, TimeUnit.MILLISECONDS), "nothing delivered before the first check ends");
        release.countDown();
        assertEquals(1, next().subject().view());
        assertEquals(2, next().subject().view());
    }

    @Test
    void aCheckWhoseViewPassedWhileQueuedIsSkipped() throws InterruptedException {
        workers(1);
        view.set(10);
        CountDownLatch release = new CountDownLatch(1);
        assertNull(workers.submit(proposed(20), held(release)));
        AtomicBoolean ran = new AtomicBoolean();
        assertNull(workers.submit(proposed(10), () -> {
            ran.set(true);
            return BLOCK;
        }));
        assertNull(workers.submit(proposed(21), () -> BLOCK));
        // The node moves on while the worker is busy: view 10 is now more than the stale bound behind.
        view.set(10 + ProposalScreen.PAST_VIEWS + 1);
        release.countDown();
        assertEquals(20, next().subject().view());
        assertEquals(21, next().subject().view(), "the skipped check does not hold up the one after it");
        assertFalse(ran.get(), "the outlived check never ran");
        assertEquals(1.0, registry.get("cortado_block_checks_skipped_total").counter().count());
        assertEquals(0, workers.pending());
    }

    @Test
    void theStaleBoundIsTheProposalScreens() {
        long now = 100;
        assertFalse(BlockCheckWorkers.outlived(now - ProposalScreen.PAST_VIEWS, now));
        assertTrue(BlockCheckWorkers.outlived(now - ProposalScreen.PAST_VIEWS - 1, now));
        assertFalse(BlockCheckWorkers.outlived(now + 5, now));
    }

    @Test
    void aRefusedOrCrashingCheckComesBackAsARefusal() throws InterruptedException {
        workers(1);
        assertNull(workers.submit(proposed(1), () -> {
            throw new BlockRejected("vidRoot mismatch");
        }));
        assertNull(workers.submit(proposed(2), () -> {
            throw new IllegalStateException("parser bug");
        }));
        assertNull(workers.submit(proposed(3), () -> BLOCK));
        BlockCheckWorkers.Done rejected = next();
        assertEquals("vidRoot mismatch", rejected.refusal());
        assertNull(rejected.block());
        assertTrue(next().refusal().contains("parser bug"));
        assertSame(BLOCK, next().block());
    }
}
