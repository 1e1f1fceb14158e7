package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchPoster.Outcome;
import dev.cortado.settlement.l1.AccountSender;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The light-client poster and the batch poster on one L1 account at once, on a real Anvil: one
 * thread posts eight light-client updates, the other posts every height they certify in blob batches.
 * A gate makes whichever poster has its nonce first wait for the other to pick one too, so the two
 * sends meet whenever the account's lock lets them: with one {@link AccountSender}
 * they never meet and no nonce is refused; with one sender each (two processes on one key) they do
 * meet, the L1 refuses the loser's nonce, and the re-derived send still lands everything once.
 */
class SharedAccountPostersTest {
    private static final int LAST_HEIGHT = 24;
    private static final int UPDATE_EVERY = 3;

    private static L1Devnet l1;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    @Test
    void bothPostersShareOneAccountWithoutANonceClash() throws Exception {
        BatchL1 t = new BatchL1(l1);
        AccountSender shared = new AccountSender(t.poster.getAddress());
        Run run = postConcurrently(t, shared, shared, 31);
        assertEquals(0, run.gate.meetings(), "under one sender two sends never hold a nonce at once");
        assertEquals(0, run.givenUp(), "no step gave up on a clashing nonce");
        assertEquals(0, shared.nonceClashes(), "the L1 refused no nonce");
        assertEquals(run.updates + run.batches.size(), shared.sends(), "one attempt per transaction, none retried");
        assertTrue(run.batches.stream().anyMatch(Outcome.Posted::inBlobs), "blob and light-client transactions interleave");
    }

    @Test
    void twoSendersOnOneKeyClashAndReDeriveTheirNonces() throws Exception {
        BatchL1 t = new BatchL1(l1);
        AccountSender lightClientSide = new AccountSender(t.poster.getAddress());
        AccountSender batchSide = new AccountSender(t.poster.getAddress());
        Run run = postConcurrently(t, lightClientSide, batchSide, 32);
        assertTrue(run.gate.meetings() > 0, "the gate made the two senders hold one nonce at once");
        assertTrue(lightClientSide.nonceClashes() + batchSide.nonceClashes() > 0,
                "the L1 refused a nonce the other sender had taken");
        // A step may give up after MAX_ATTEMPTS clashes (the light-client poster sends faster than a blob is
        // signed); the next step re-derives, as run() does, and the checks above still found every height once.
    }

    private record Run(int updates, List<Outcome.Posted> batches, RaceGate gate, int givenUp) {
    }

    /** Both posters at once until every height is posted; checks what holds with and without sharing. */
    private Run postConcurrently(BatchL1 t, AccountSender forLightClient, AccountSender forBatches, long seed)
            throws Exception {
        RaceGate gate = new RaceGate();
        forLightClient.onNonceChosen(gate);
        forBatches.onNonceChosen(gate);
        try (BatchChainNode node = new BatchChainNode(BatchL1.HOTSHOT_CHAIN, BatchL1.KEYS, BatchL1.TABLE, LAST_HEIGHT + 1,
                seed)) {
            BatchL1.Setup s = t.deploy(node, 0);
            long nonceBefore = t.nonce(t.poster);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Outcome.Posted> batches = new ArrayList<>();
            try (LightClientPoster lc = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(), s.lightClient(),
                    List.of(node.uri()), new StakeTableTrust.Known(BatchL1.TABLE)), t.poster, forLightClient);
                    BatchPoster bp = BatchPoster.connect(t.config(s, node, 4, BatchL1.CAP, BatchPoster.Carrier.BLOBS,
                            dir.resolve("journal-" + seed)), t.poster, forBatches)) {
                CompletableFuture<Integer> updates = CompletableFuture.supplyAsync(() -> {
                    int posted = 0;
                    for (int h = UPDATE_EVERY; h <= LAST_HEIGHT; h += UPDATE_EVERY) {
                        assertInstanceOf(LightClientPoster.PostResult.Posted.class, lc.post(node.answer(h)), "height " + h);
                        posted++;
                    }
                    return posted;
                }).whenComplete((v, e) -> {
                    if (e != null) failures.add(e);
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                int givenUp = 0;
                while (t.nextHeight(s) <= LAST_HEIGHT && failures.isEmpty() && System.nanoTime() < deadline) {
                    try {
                        if (bp.step() instanceof Outcome.Posted p) batches.add(p);
                        else Thread.sleep(20);
                    } catch (AccountSender.SendRefusedException e) {
                        givenUp++;
                    }
                }
                int posted = updates.get(60, TimeUnit.SECONDS);
                assertTrue(failures.isEmpty(), () -> "a poster failed: " + failures);
                assertEquals(LAST_HEIGHT / UPDATE_EVERY, posted, "every light-client update landed");
                t.assertEachHeightOnce(s, LAST_HEIGHT);
                assertEquals(nonceBefore + posted + batches.size(), t.nonce(t.poster),
                        "the account sent exactly one transaction per update and per batch");
                return new Run(posted, batches, gate, givenUp);
            }
        }
    }

    /**
     * Holds whichever poster chose a nonce first until the other one chooses one too (at most 500 ms),
     * and counts the times both held a nonce at once. After {@link #MAX_MEETINGS} it lets sends pass: a
     * gate forcing every retry to clash again would only prove that a livelock can be built.
     */
    static final class RaceGate implements AccountSender.NonceObserver {
        static final int MAX_MEETINGS = 3;
        private String waiting;
        private boolean partnerArrived;
        private int meetings;

        @Override
        public synchronized void chosen(String who, long nonce) {
            if (meetings >= MAX_MEETINGS) return;
            if (waiting != null && !waiting.equals(who)) {
                meetings++;
                partnerArrived = true;
                notifyAll();
                return;
            }
            waiting = who;
            partnerArrived = false;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            try {
                for (long left = deadline - System.nanoTime(); !partnerArrived && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting = null;
            }
        }

        synchronized int meetings() {
            return meetings;
        }
    }
}
