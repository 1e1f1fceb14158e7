package dev.cortado.settlement.l1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.settlement.l1.AccountSender.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sender's rules without an L1: a nonce clash is re-derived a bounded number of times, any other
 * refusal is final at once, and two threads on one sender never hold a nonce at the same time. The
 * same rules against Anvil: {@code SharedAccountPostersTest}.
 */
class AccountSenderTest {
    private static final String ADDRESS = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    @Test
    void aClashIsRetriedWithAFreshNonceAndAnyOtherRefusalIsFinal() {
        AccountSender sender = new AccountSender(ADDRESS);
        AtomicLong pending = new AtomicLong(7);
        List<Long> tried = new ArrayList<>();
        String hash = sender.send("test", pending::get, nonce -> {
            tried.add(nonce);
            if (nonce < 9) {
                pending.incrementAndGet(); // another process took it
                return new Attempt.Refused<String>("nonce too low: next nonce " + (nonce + 1));
            }
            return new Attempt.Accepted<>("0xabc");
        });
        assertEquals("0xabc", hash);
        assertEquals(List.of(7L, 8L, 9L), tried);
        assertEquals(2, sender.nonceClashes());

        AtomicInteger calls = new AtomicInteger();
        var e = assertThrows(AccountSender.SendRefusedException.class, () -> sender.send("test", () -> 3, nonce -> {
            calls.incrementAndGet();
            return new Attempt.Refused<String>("insufficient funds for gas * price + value");
        }));
        assertEquals(1, calls.get(), "not a clash: no retry");
        assertTrue(e.getMessage().contains("insufficient funds"), e.getMessage());
    }

    @Test
    void givesUpAfterTheBoundedAttempts() {
        AccountSender sender = new AccountSender(ADDRESS);
        AtomicInteger calls = new AtomicInteger();
        var e = assertThrows(AccountSender.SendRefusedException.class, () -> sender.send("test", () -> 1, nonce -> {
            calls.incrementAndGet();
            return new Attempt.Refused<String>("replacement transaction underpriced");
        }));
        assertEquals(AccountSender.MAX_ATTEMPTS, calls.get());
        assertTrue(e.getMessage().contains("another process"), e.getMessage());
    }

    @Test
    void recognisesTheNodesClashMessages() {
        for (String m : List.of("nonce too low", "Nonce too low: next nonce 5, tx nonce 4",
                "replacement transaction underpriced", "address already reserved", "Replacement tx underpriced")) {
            assertTrue(AccountSender.isNonceClash(m), m);
        }
        for (String m : List.of("insufficient funds", "exceeds block gas limit", "nonce too high")) {
            assertFalse(AccountSender.isNonceClash(m), m);
        }
        assertFalse(AccountSender.isNonceClash(null));
    }

    @Test
    void twoThreadsOnOneSenderNeverHoldANonceAtOnce() throws Exception {
        AccountSender sender = new AccountSender(ADDRESS);
        AtomicLong next = new AtomicLong();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> used = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        Runnable poster = () -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 200; i++) {
                sender.send("t", next::get, nonce -> {
                    if (inside.incrementAndGet() > 1) overlaps.incrementAndGet();
                    Thread.onSpinWait();
                    used.add(nonce);
                    next.incrementAndGet(); // the L1 now counts it as pending
                    inside.decrementAndGet();
                    return new Attempt.Accepted<>(nonce);
                });
            }
        };
        Thread a = Thread.ofPlatform().start(poster);
        Thread b = Thread.ofPlatform().start(poster);
        start.countDown();
        a.join();
        b.join();
        assertEquals(0, overlaps.get());
        assertEquals(400, used.size());
        assertEquals(400, used.stream().distinct().count(), "every nonce used once");
        assertEquals(0, sender.nonceClashes());
    }

    @Test
    void oneProcessWideSenderPerAddress() {
        assertSame(AccountSender.of(ADDRESS), AccountSender.of(ADDRESS.toLowerCase(java.util.Locale.ROOT)));
        assertThrows(IllegalArgumentException.class, () -> new AccountSender("0x12"));
    }
}
