package dev.cortado.protocol.epoch;

import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * StakeTable.sol's active set at any L1 block since the ledger's base, rebuilt from its events. Pure: no
 * I/O; the L1 follower feeds it events in log order together with how far it has followed, so an answer
 * for a block it has followed is final and the same on every replica.
 *
 * <p>Table order is validator-id order: the contract appends registrations to its list and ids only grow,
 * so the order of active ids is the contract's order. Bounds: at most {@link #MAX_ACTIVE} active validators
 * and {@link #MAX_PENDING_EVENTS} events above the base; {@link #pruneThrough} folds old events into the base.
 */
public final class ValidatorLedger {
    public static final int MAX_ACTIVE = 10_000;
    public static final int MAX_PENDING_EVENTS = 100_000;

    /** One registered validator, its key parsed once (a key that does not parse is kept with the reason). */
    private record Member(long id, long stakeGwei, boolean isDa, BlsPublicKey key, String keyProblem) {
    }

    private TreeMap<Long, Member> base = new TreeMap<>();
    private long baseBlock;
    private final List<ValidatorEvent> pending = new ArrayList<>();
    private final TreeMap<Long, Member> tip = new TreeMap<>();
    private final Map<Long, Member> parsed = new java.util.HashMap<>();
    private long followedBlock;
    private long lastBlock = -1;
    private int lastLogIndex = -1;
    private long highestId;

    /** A ledger with nothing registered, followed through {@code startBlock − 1} (the block before deployment). */
    public ValidatorLedger(long startBlock) {
        if (startBlock < 0) throw new IllegalArgumentException("start block must not be negative, got " + startBlock);
        this.baseBlock = startBlock - 1;
        this.followedBlock = startBlock - 1;
    }

    /**
     * A ledger whose history starts at {@code baseBlock} with {@code active} (their registrations, in any
     * order) as the state after that block: for a follower that kept only the active table.
     */
    public static ValidatorLedger seeded(long baseBlock, List<ValidatorEvent.Joined> active) {
        if (active.size() > MAX_ACTIVE) {
            throw new IllegalArgumentException(active.size() + " active validators, at most " + MAX_ACTIVE);
        }
        ValidatorLedger l = new ValidatorLedger(Math.max(0, baseBlock + 1));
        l.baseBlock = baseBlock;
        l.followedBlock = baseBlock;
        for (ValidatorEvent.Joined j : active) {
            Member m = member(j);
            if (l.base.put(m.id(), m) != null) throw new IllegalArgumentException("validator " + m.id() + " twice");
            l.highestId = Math.max(l.highestId, m.id());
        }
        l.tip.putAll(l.base);
        l.parsed.putAll(l.base);
        return l;
    }

    public long followedBlock() {
        return followedBlock;
    }

    /** The block whose state is the base: answers exist for blocks from here on. */
    public long oldestBlock() {
        return baseBlock;
    }

    /**
     * Adds the events of blocks {@code (followedBlock, throughBlock]}, in log order: {@link #stage} then
     * {@link #commit}. Refuses (and keeps nothing of) events out of order or outside that range, a registration
     * whose id does not grow, an exit of a validator that is not active, and growth past the bounds.
     */
    public void append(List<ValidatorEvent> events, long throughBlock) {
        commit(stage(events, throughBlock));
    }

    /** An append checked against the ledger as it was, not applied yet (see {@link #stage}). */
    public static final class Staged {
        private final long fromFollowed;
        private final long throughBlock;
        private final List<ValidatorEvent> events;
        private final TreeMap<Long, Member> tip;
        private final List<Member> newMembers;
        private final long lastBlock;
        private final int lastLogIndex;
        private final long highestId;

        private Staged(long fromFollowed, long throughBlock, List<ValidatorEvent> events, TreeMap<Long, Member> tip,
                       List<Member> newMembers, long lastBlock, int lastLogIndex, long highestId) {
            this.fromFollowed = fromFollowed;
            this.throughBlock = throughBlock;
            this.events = events;
            this.tip = tip;
            this.newMembers = newMembers;
            this.lastBlock = lastBlock;
            this.lastLogIndex = lastLogIndex;
            this.highestId = highestId;
        }
    }

    /**
     * Checks an append as {@link #append} does and changes nothing: the caller can persist the events first and
     * {@link #commit} only once they are on disk, so a failed write leaves the ledger where the store is.
     */
    public Staged stage(List<ValidatorEvent> events, long throughBlock) {
        if (throughBlock < followedBlock) {
            throw new IllegalArgumentException("followed block cannot move back from " + followedBlock + " to " + throughBlock);
        }
        if (pending.size() + events.size() > MAX_PENDING_EVENTS) {
            throw new IllegalStateException("more than " + MAX_PENDING_EVENTS + " stake events above block " + baseBlock
                    + "; prune the ledger first");
        }
        TreeMap<Long, Member> next = new TreeMap<>(tip);
        long block = lastBlock;
        int log = lastLogIndex;
        long maxId = highestId;
        List<Member> newMembers = new ArrayList<>();
        for (ValidatorEvent e : events) {
            if (e.l1Block() <= followedBlock || e.l1Block() > throughBlock) {
                throw new IllegalArgumentException(e + " lies outside the blocks " + (followedBlock + 1) + ".." + throughBlock);
            }
            if (e.l1Block() < block || (e.l1Block() == block && e.logIndex() <= log)) {
                throw new IllegalArgumentException(e + " is not after block " + block + " log " + log);
            }
            block = e.l1Block();
            log = e.logIndex();
            switch (e) {
                case ValidatorEvent.Joined j -> {
                    if (j.validatorId() <= maxId) {
                        throw new IllegalArgumentException(e + ": validator ids only grow, highest so far " + maxId);
                    }
                    if (next.size() >= MAX_ACTIVE) {
                        throw new IllegalStateException("more than " + MAX_ACTIVE + " active validators at " + e);
                    }
                    maxId = j.validatorId();
                    Member m = member(j);
                    newMembers.add(m);
                    next.put(m.id(), m);
                }
                case ValidatorEvent.Left x -> {
                    if (next.remove(x.validatorId()) == null) {
                        throw new IllegalArgumentException(e + ": validator " + x.validatorId() + " is not active");
                    }
                }
            }
        }
        return new Staged(followedBlock, throughBlock, List.copyOf(events), next, newMembers, block, log, maxId);
    }

    /** Applies a staged append; refuses one staged before another append moved the ledger on. */
    public void commit(Staged s) {
        if (s.fromFollowed != followedBlock) {
            throw new IllegalStateException("this append was staged at followed block " + s.fromFollowed
                    + ", but the ledger has since followed to " + followedBlock);
        }
        pending.addAll(s.events);
        s.newMembers.forEach(m -> parsed.put(m.id(), m));
        tip.clear();
        tip.putAll(s.tip);
        lastBlock = s.lastBlock;
        lastLogIndex = s.lastLogIndex;
        highestId = s.highestId;
        followedBlock = s.throughBlock;
    }

    /** The table at the end of L1 block {@code l1Block} (after all its events). */
    public TableSnapshot tableAt(long l1Block) {
        if (l1Block > followedBlock) return new TableSnapshot.NotYetSeen(l1Block, followedBlock);
        if (l1Block < baseBlock) return new TableSnapshot.Pruned(l1Block, baseBlock);
        TreeMap<Long, Member> active = stateAt(l1Block);
        if (active.isEmpty()) return new TableSnapshot.NoValidators(l1Block);
        List<StakeEntry> entries = new ArrayList<>(active.size());
        long total = 0;
        for (Member m : active.values()) {
            if (m.key() == null) {
                return new TableSnapshot.Unusable(l1Block, "validator " + m.id() + "'s key is unusable: " + m.keyProblem());
            }
            if (m.stakeGwei() <= 0) {
                return new TableSnapshot.Unusable(l1Block, "validator " + m.id() + " has stake " + m.stakeGwei() + " gwei");
            }
            if (total > Long.MAX_VALUE - m.stakeGwei()) {
                return new TableSnapshot.Unusable(l1Block, "total stake overflows at validator " + m.id());
            }
            total += m.stakeGwei();
            entries.add(new StakeEntry(m.key(), m.stakeGwei(), m.isDa()));
        }
        try {
            return new TableSnapshot.Table(l1Block, StakeTable.of(entries));
        } catch (IllegalArgumentException e) {
            return new TableSnapshot.Unusable(l1Block, e.getMessage());
        }
    }

    /** Folds every event at or before {@code l1Block} into the base; answers before it become {@code Pruned}. */
    public void pruneThrough(long l1Block) {
        if (l1Block <= baseBlock) return;
        if (l1Block > followedBlock) {
            throw new IllegalArgumentException("cannot prune through " + l1Block + ", followed only to " + followedBlock);
        }
        base = stateAt(l1Block);
        pending.removeIf(e -> e.l1Block() <= l1Block);
        baseBlock = l1Block;
        parsed.keySet().retainAll(activeIdsFromBaseOn());
    }

    private java.util.Set<Long> activeIdsFromBaseOn() {
        java.util.Set<Long> ids = new java.util.HashSet<>(base.keySet());
        for (ValidatorEvent e : pending) ids.add(e.validatorId());
        return ids;
    }

    private TreeMap<Long, Member> stateAt(long l1Block) {
        TreeMap<Long, Member> state = new TreeMap<>(base);
        for (ValidatorEvent e : pending) {
            if (e.l1Block() > l1Block) break;
            switch (e) {
                case ValidatorEvent.Joined j -> state.put(j.validatorId(), parsed.get(j.validatorId()));
                case ValidatorEvent.Left x -> state.remove(x.validatorId());
            }
        }
        return state;
    }

    private static Member member(ValidatorEvent.Joined j) {
        try {
            return new Member(j.validatorId(), j.stakeGwei(), j.isDa(), BlsPublicKey.fromEip2537(j.keyEip2537()), null);
        } catch (RuntimeException e) {
            return new Member(j.validatorId(), j.stakeGwei(), j.isDa(), null, String.valueOf(e.getMessage()));
        }
    }
}
