package dev.cortado.settlement.l1;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One L1 account shared by several posters of one process (the light-client poster and the batch
 * poster on one key). It keeps no nonce of its own: each send reads the account's pending nonce from
 * the L1 and signs and sends <em>while holding the account's lock</em>, so by the time the next poster
 * reads the pending nonce, the L1 already counts the transaction before it. Everything stays derived
 * from L1 (plus the batch poster's journal), so a restart loses nothing.
 *
 * <p>Two processes on one key have two locks. Their clash shows up as the L1 refusing a send ("nonce
 * too low", "replacement transaction underpriced", "already reserved"): the send is re-derived from a
 * fresh pending nonce and re-signed, a bounded number of times. A replacement that pays enough to
 * displace the other process's transaction is not detectable here; the displaced poster re-derives
 * when its receipt never comes (the batch poster's journal sees its nonce taken). Running both
 * posters in one process (devnet, {@code post-batches --post-light-client}) avoids that entirely.
 */
public final class AccountSender {
    private static final Logger LOG = LoggerFactory.getLogger(AccountSender.class);
    /** A clash with another process re-derives the nonce at most this many times before giving up. */
    public static final int MAX_ATTEMPTS = 4;
    private static final Map<String, AccountSender> PROCESS_WIDE = new ConcurrentHashMap<>();

    /** What one attempt with a nonce came to. */
    public sealed interface Attempt<T> {
        /** The L1 took the transaction (or already knew it); {@code value} is the caller's result. */
        record Accepted<T>(T value) implements Attempt<T> {
        }

        /** The L1 refused the transaction with {@code message}; nothing of it is pending. */
        record Refused<T>(String message) implements Attempt<T> {
        }
    }

    /** Signs a transaction with {@code nonce} and sends it; runs under the account's lock. */
    @FunctionalInterface
    public interface NonceUse<T> {
        Attempt<T> attempt(long nonce);
    }

    /** Called under the lock with each nonce chosen, before it is used (metrics, and tests that force races). */
    @FunctionalInterface
    public interface NonceObserver {
        void chosen(String who, long nonce);
    }

    /** The L1 refused a send for a reason other than a nonce clash, or the clash did not resolve. */
    public static final class SendRefusedException extends RuntimeException {
        public SendRefusedException(String message) {
            super(message);
        }
    }

    private final String address;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong clashes = new AtomicLong();
    private volatile NonceObserver observer = (who, nonce) -> { };

    /** A sender of its own for {@code address}; share the instance between posters to share the account. */
    public AccountSender(String address) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("account address must be 0x followed by 40 hex digits, got " + address);
        }
        this.address = address;
    }

    /**
     * The one sender of this process for {@code address}: posters that are not handed a sender use it,
     * so two posters on one key in one process never race, whoever wired them.
     */
    public static AccountSender of(String address) {
        return PROCESS_WIDE.computeIfAbsent(address.toLowerCase(Locale.ROOT), AccountSender::new);
    }

    public String address() {
        return address;
    }

    /** Whether {@code other} names this sender's account (case-insensitive hex). */
    public boolean isFor(String other) {
        return other != null && other.equalsIgnoreCase(address);
    }

    public AccountSender onNonceChosen(NonceObserver o) {
        this.observer = Objects.requireNonNull(o, "observer");
        return this;
    }

    /**
     * Sends one transaction: under the lock, reads the pending nonce and lets {@code use} sign and send
     * with it. A refusal that names a nonce clash is retried with a fresh nonce; any other refusal, or
     * a clash still there after {@link #MAX_ATTEMPTS}, raises {@link SendRefusedException}.
     *
     * @param who names the poster in logs and errors
     * @param pendingNonce reads {@code eth_getTransactionCount(address, "pending")} from the L1
     */
    public <T> T send(String who, LongSupplier pendingNonce, NonceUse<T> use) {
        String last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            lock.lock();
            try {
                long nonce = pendingNonce.getAsLong();
                observer.chosen(who, nonce);
                sends.incrementAndGet();
                switch (use.attempt(nonce)) {
                    case Attempt.Accepted<T> a -> {
                        return a.value();
                    }
                    case Attempt.Refused<T> r -> {
                        if (!isNonceClash(r.message())) {
                            throw new SendRefusedException(who + ": the L1 refused the transaction with nonce " + nonce
                                    + ": " + r.message());
                        }
                        clashes.incrementAndGet();
                        last = r.message();
                        LOG.warn("{}: nonce {} of {} clashed ({}); another process sends from this account? re-deriving",
                                who, nonce, address, r.message());
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        throw new SendRefusedException(who + ": " + MAX_ATTEMPTS + " nonces of " + address + " clashed in a row (last: "
                + last + "); is another process sending from this account?");
    }

    /**
     * Runs {@code work} under the account's lock: a poster deciding the fate of a nonce it already
     * holds (re-sending or replacing a journaled transaction) must not have another poster take a
     * nonce meanwhile.
     */
    public <T> T exclusive(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Attempts made under this sender, each with a freshly read nonce. */
    public long sends() {
        return sends.get();
    }

    /** Refusals that named a nonce clash (each one re-derived); zero while the account has one sender. */
    public long nonceClashes() {
        return clashes.get();
    }

    /**
     * Refusals meaning the nonce was taken by another transaction: geth's and Anvil's "nonce too low",
     * a same-nonce replacement that does not pay enough, and geth's "address already reserved" (a blob
     * and a plain transaction from one account at once).
     */
    static boolean isNonceClash(String message) {
        if (message == null) return false;
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("nonce too low") || m.contains("replacement transaction underpriced")
                || m.contains("already reserved") || m.contains("nonce has already been used")
                || m.contains("replacement") && m.contains("underpriced");
    }
}
