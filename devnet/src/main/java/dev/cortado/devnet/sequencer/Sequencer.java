package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The sequencer's core: takes groups of transactions, each group atomic (one bundle, never split), answers each
 * transaction with a signed pre-confirmation of its (window, bundle sequence, position), and seals the open bundle
 * on demand. Sealed bundles stay queued until a node has taken them; resubmitting the same signed bytes is
 * harmless because nodes deduplicate by bundle id and refuse a second bundle with the same sequence. Sequence
 * numbers restart at 0 each window (the nodes' replay state is per window). Thread-safe through one monitor.
 */
public final class Sequencer {
    /** Bounds the open bundle; a group that does not fit seals the open one first. */
    public static final int MAX_BUNDLE_PAYLOAD_BYTES = 256 * 1024;
    /** Sealed bundles not yet taken by any node; beyond this new work is refused. */
    public static final int MAX_QUEUED_BUNDLES = 1_024;

    /** The answer to one group. */
    public sealed interface Result {
    }

    public record Accepted(List<PreConfirmation.Signed> preconfirmations) implements Result {
    }

    public record Refused(String error, String detail) implements Result {
    }

    private final Secp256k1.KeyPair key;
    private final long chainId;
    private final Address marketplace;
    private final MarketClock clock;
    private final SequencerRights rights;
    private final LongSupplier nowMs;
    private final Deque<SignedBundle> queued = new ArrayDeque<>();
    private final List<Transaction> open = new ArrayList<>();
    private final Set<dev.cortado.protocol.types.Bytes32> openHashes = new HashSet<>();
    private int openBytes;
    private long openWindow = -1;
    private long nextSequence;

    public Sequencer(Secp256k1.KeyPair key, long chainId, Address marketplace, MarketClock clock, SequencerRights rights,
                     LongSupplier nowMs) {
        this.key = key;
        this.chainId = chainId;
        this.marketplace = marketplace;
        this.clock = clock;
        this.rights = rights;
        this.nowMs = nowMs;
    }

    public Address address() {
        return key.address();
    }

    private long expirySlotOf(long window) {
        return (window + 1) * clock.slotsPerWindow() - 1;
    }

    public synchronized Result accept(List<Transaction> group) {
        if (group.isEmpty() || group.size() > Bundle.MAX_TRANSACTIONS) {
            return new Refused("malformed_request", "a group holds 1 to " + Bundle.MAX_TRANSACTIONS + " transactions");
        }
        long window = clock.windowAt(nowMs.getAsLong() / 1000);
        if (window < 0) return new Refused("not_started", "the marketplace's slot clock has not started");
        int bytes = 0;
        Set<dev.cortado.protocol.types.Bytes32> hashes = new HashSet<>();
        for (Transaction tx : group) {
            Optional<String> refusal = rights.refuse(window, tx.namespace().value());
            if (refusal.isPresent()) return new Refused("not_holder", refusal.get());
            if (!hashes.add(tx.hash()) || openHashes.contains(tx.hash())) {
                return new Refused("duplicate_transaction", "transaction " + tx.hash() + " is already in the open bundle");
            }
            bytes += tx.payloadLength();
        }
        if (bytes > MAX_BUNDLE_PAYLOAD_BYTES) {
            return new Refused("group_too_large", bytes + " payload bytes exceed " + MAX_BUNDLE_PAYLOAD_BYTES + " per bundle");
        }
        if (window != openWindow) {
            sealOpen();
            openWindow = window;
            nextSequence = 0;
        } else if (open.size() + group.size() > Bundle.MAX_TRANSACTIONS || openBytes + bytes > MAX_BUNDLE_PAYLOAD_BYTES) {
            sealOpen();
        }
        if (queued.size() >= MAX_QUEUED_BUNDLES) {
            return new Refused("backlog_full", queued.size() + " sealed bundles wait for a node; try again later");
        }
        List<PreConfirmation.Signed> out = new ArrayList<>(group.size());
        for (Transaction tx : group) {
            out.add(new PreConfirmation(chainId, marketplace, tx.hash(), tx.namespace().value(), openWindow, nextSequence,
                    open.size(), expirySlotOf(openWindow)).sign(key));
            open.add(tx);
            openHashes.add(tx.hash());
        }
        openBytes += bytes;
        return new Accepted(out);
    }

    /** Seals the open bundle (if any) into the submission queue. */
    public synchronized void seal() {
        sealOpen();
    }

    private void sealOpen() {
        if (open.isEmpty()) return;
        queued.add(new Bundle(chainId, marketplace, openWindow, nextSequence, expirySlotOf(openWindow), open).sign(key));
        nextSequence++;
        open.clear();
        openHashes.clear();
        openBytes = 0;
    }

    /** The oldest sealed bundle not yet taken by a node. */
    public synchronized Optional<SignedBundle> nextQueued() {
        return Optional.ofNullable(queued.peekFirst());
    }

    /** A node took {@code b} (or already had it); it leaves the queue. */
    public synchronized void taken(SignedBundle b) {
        if (!queued.isEmpty() && queued.peekFirst().id().equals(b.id())) queued.pollFirst();
    }

    /** Drops queued bundles whose window has passed: no node can decide them any more. */
    public synchronized int dropExpired() {
        long window = clock.windowAt(nowMs.getAsLong() / 1000);
        int before = queued.size();
        queued.removeIf(b -> b.bundle().window() < window);
        return before - queued.size();
    }

    public synchronized int queuedCount() {
        return queued.size();
    }
}
