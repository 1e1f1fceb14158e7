package dev.cortado.node.l1;

import dev.cortado.node.market.MarketWindow;
import dev.cortado.protocol.epoch.TableSnapshot;
import dev.cortado.protocol.epoch.ValidatorEvent;
import dev.cortado.protocol.epoch.ValidatorLedger;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Client.L1Exception;
import dev.cortado.settlement.port.L1Head;
import dev.cortado.settlement.port.LightClientL1;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.MarketplaceL1;
import dev.cortado.settlement.port.StakeTableEvent;
import dev.cortado.settlement.port.WindowState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows L1 block by block at the confirmation depth (or the {@code finalized} tag) and records, for each
 * tracked window, every version of its marketplace state with the L1 block it applies from. A window is
 * re-read at a block only where the marketplace emitted an event, where the window starts being tracked, or
 * where it turns final by time; those are the only places its views can change. Blocks shallower than the
 * depth are never read, so a reorg of unconfirmed blocks cannot reach this state; a reorg deeper than the
 * depth is detected (the followed block's hash changed) and stops the follower without changing anything.
 *
 * <p>Readers see an immutable snapshot; {@link #poll} builds the next one, persists it and then publishes it.
 */
public final class L1Follower implements MarketState, StakeSnapshots {
    /** StakeTable.sol caps its table; this bounds what a hostile or broken L1 can make the node hold. */
    public static final int MAX_VALIDATORS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(L1Follower.class);

    private final L1Client l1;
    private final MarketplaceL1 market;
    /** LightClient.sol, read at every followed head; null when the node does not follow one. */
    private final LightClientL1 lightClient;
    private final FollowerSettings settings;
    private final L1FollowerStore store;
    private final MarketClock clock;
    private volatile FollowedState state;
    /** How {@link #pollSoon} reaches whatever polls this follower (installed by {@link L1FollowerService}). */
    private volatile Runnable pollRequest = () -> { };
    private volatile long pollIntervalMs;
    /** Told after each poll that advanced; registered once per reader (the node), so this stays tiny. */
    private final List<Runnable> advanceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * StakeTable.sol's active set at every followed block, guarded by itself rather than by this: a poll holds
     * this through its L1 reads, and the epoch tables read the ledger from the consensus thread, which must
     * not wait for an RPC.
     */
    private final ValidatorLedger ledger;

    public L1Follower(L1Client l1, MarketplaceL1 market, FollowerSettings settings, L1FollowerStore store) {
        this(l1, market, null, settings, store);
    }

    /** Also follows LightClient.sol's finalized state ({@code lightClient} may be null: not followed). */
    public L1Follower(L1Client l1, MarketplaceL1 market, LightClientL1 lightClient, FollowerSettings settings,
                      L1FollowerStore store) {
        this.l1 = l1;
        this.market = market;
        this.lightClient = lightClient;
        this.settings = settings;
        this.store = store;
        this.clock = market.clock();
        if (!settings.useFinalizedTag() && clock.finalitySlots() < settings.confirmations()) {
            // Still safe (every replica reads the same blocks), but a sold rollup counts as unsold until then.
            LOG.warn("the marketplace makes a window's result final {} slots before it starts, fewer than the {} "
                    + "confirmations this node reads at: winners are enforced only some slots into each window",
                    clock.finalitySlots(), settings.confirmations());
        }
        this.state = store.load().orElse(null);
        this.ledger = rebuildLedger(state, store.loadStakeEvents(), settings.startBlock());
    }

    /** The ledger from the persisted history; a store written before the history was kept starts at its head. */
    private static ValidatorLedger rebuildLedger(FollowedState s, List<ValidatorEvent> events, long startBlock) {
        if (s == null) return new ValidatorLedger(startBlock);
        if (events.isEmpty() && !s.stakeTable().isEmpty()) {
            return ValidatorLedger.seeded(s.followed().number(), s.stakeTable().stream().map(v -> new ValidatorEvent.Joined(
                    v.registeredBlock(), v.registeredLogIndex(), v.validatorId(), v.blsKey(), v.stakeGwei(), v.isDa()))
                    .toList());
        }
        ValidatorLedger l = new ValidatorLedger(startBlock);
        l.append(events, s.followed().number());
        return l;
    }

    /**
     * StakeTable.sol's table at the end of L1 block {@code l1Block}: what the epoch rules read at a snapshot
     * block's l1Head. {@code NotYetSeen} beyond the followed block, {@code Pruned} before the kept history.
     */
    @Override
    public TableSnapshot stakeTableAt(long l1Block) {
        synchronized (ledger) {
            return ledger.tableAt(l1Block);
        }
    }

    /** What one poll did. */
    public record PollResult(long fromBlock, long toBlock, int newVersions) {
        public boolean advanced() {
            return toBlock >= fromBlock;
        }
    }

    @Override
    public long followedBlock() {
        FollowedState s = state;
        return s == null ? -1 : s.followed().number();
    }

    public FollowedState snapshot() {
        return state;
    }

    @Override
    public MarketClock clock() {
        return clock;
    }

    /**
     * LightClient.sol's finalized state at the followed block (which is at the confirmation depth or the
     * {@code finalized} tag), or empty when no light client is followed or it was not deployed there yet.
     */
    public java.util.Optional<LightClientOnL1> lightClientOnL1() {
        FollowedState s = state;
        return s == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(s.lightClient());
    }

    /** The active stake table at the followed block, in table order. */
    public List<ActiveValidator> stakeTable() {
        FollowedState s = state;
        return s == null ? List.of() : s.stakeTable();
    }

    @Override
    public MarketAnswer windowAt(long window, long l1Block) {
        FollowedState s = state;
        if (s == null || l1Block > s.followed().number()) {
            return new MarketAnswer.NotYetSeen(l1Block, s == null ? -1 : s.followed().number());
        }
        NavigableMap<Long, WindowState> versions = s.windows().get(window);
        if (versions == null) {
            return new MarketAnswer.Unavailable("window " + window + " is not tracked (tracked: " + s.windows().keySet() + ")");
        }
        Map.Entry<Long, WindowState> e = versions.floorEntry(l1Block);
        if (e == null) {
            return new MarketAnswer.Unavailable("window " + window + " was first tracked at L1 block " + versions.firstKey()
                    + ", after " + l1Block);
        }
        return new MarketAnswer.Known(toMarketWindow(e.getValue()), e.getValue().resultFinal());
    }

    private MarketWindow toMarketWindow(WindowState s) {
        Map<Long, dev.cortado.protocol.types.Address> defaults = new HashMap<>();
        for (WindowState.Rollup r : s.rollups()) defaults.putIfAbsent(r.namespace(), r.defaultSequencer());
        return new MarketWindow(s.window(), clock.slotsPerWindow(), defaults, s.winners());
    }

    /** Follows up to {@code maxBlocksPerPoll} newly confirmed blocks; throws {@link L1Exception} and changes nothing on failure. */
    public synchronized PollResult poll() {
        long target = settings.useFinalizedTag() ? l1.finalizedHead().number()
                : l1.latestHead().number() - settings.confirmations();
        FollowedState current = state;
        long next;
        if (current == null) {
            next = settings.startBlock();
        } else {
            L1Head now = l1.headAt(current.followed().number()).orElse(null);
            if (now == null || !now.hash().equals(current.followed().hash())) {
                throw new L1Exception("L1 reorg deeper than the confirmation depth: block " + current.followed().number()
                        + " was " + current.followed().hash() + ", now " + (now == null ? "missing" : now.hash())
                        + "; the follower keeps its state and stops advancing", null);
            }
            next = current.followed().number() + 1;
        }
        long end = Math.min(target, next + settings.maxBlocksPerPoll() - 1);
        if (end < next) return new PollResult(next, next - 1, 0);

        Set<Long> eventBlocks = new HashSet<>(market.marketplaceEventBlocks(next, end));
        List<StakeTableEvent> stakeEvents = market.stakeTableEvents(next, end);
        TreeMap<Long, NavigableMap<Long, WindowState>> windows = new TreeMap<>();
        if (current != null) current.windows().forEach((w, v) -> windows.put(w, new TreeMap<>(v)));
        Set<Long> trackedBefore = current == null ? Set.of() : tracked(current.followed());
        int added = 0;
        L1Head head = null;
        for (long b = next; b <= end; b++) {
            final long block = b;
            head = l1.headAt(b).orElseThrow(() -> new L1Exception("the L1 has no block " + block + " below its head", null));
            Set<Long> trackedNow = tracked(head);
            boolean read = false;
            for (long w : trackedNow) {
                NavigableMap<Long, WindowState> versions = windows.computeIfAbsent(w, k -> new TreeMap<>());
                WindowState last = versions.isEmpty() ? null : versions.lastEntry().getValue();
                boolean turnsFinal = last != null && !last.resultFinal() && clock.isFinalAt(w, head.timestampSec());
                if (last == null || !trackedBefore.contains(w) || eventBlocks.contains(b) || turnsFinal) {
                    WindowState s = market.windowAt(b, w);
                    read = true;
                    if (!s.equals(last)) {
                        versions.put(b, s);
                        added++;
                    }
                }
            }
            if (read) {
                L1Head again = l1.headAt(b).orElse(null);
                if (again == null || !again.hash().equals(head.hash())) {
                    throw new L1Exception("L1 block " + b + " changed while the follower read it (reorg deeper than "
                            + settings.confirmations() + " confirmations); nothing recorded", null);
                }
            }
            trackedBefore = trackedNow;
        }
        long oldest = Math.max(0, clock.windowAt(head.timestampSec()) - settings.retainWindows());
        windows.headMap(oldest, false).clear();
        LightClientOnL1 lc = readLightClient(head, current == null ? null : current.lightClient());
        List<ValidatorEvent> ledgerEvents = stakeEvents.stream().map(L1Follower::toLedgerEvent).toList();
        ValidatorLedger.Staged staged;
        try {
            synchronized (ledger) {
                staged = ledger.stage(ledgerEvents, head.number());
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new L1Exception("StakeTable events refused: " + e.getMessage(), null);
        }
        FollowedState nextState = new FollowedState(head, windows,
                applyStake(current == null ? List.of() : current.stakeTable(), stakeEvents), lc);
        // The ledger moves only once the store holds the same events: a failed write leaves both where they were,
        // so the next poll reads the same blocks again instead of finding its events already in the ledger.
        store.save(nextState, ledgerEvents);
        synchronized (ledger) {
            ledger.commit(staged);
        }
        state = nextState;
        if (added > 0) LOG.info("L1 follower at block {}: {} new marketplace window versions", head.number(), added);
        return new PollResult(next, end, added);
    }

    /**
     * LightClient.sol's finalized state at {@code head}. It only grows on L1 (the contract refuses stale
     * states), so an answer below what was already read, or the same height with another root, can only come
     * from a lying RPC or a reorg deeper than the depth: nothing is recorded then. The head's hash is checked
     * again after the read, as for the marketplace reads.
     */
    private LightClientOnL1 readLightClient(L1Head head, LightClientOnL1 previous) {
        if (lightClient == null) return previous;
        var answer = lightClient.finalizedStateAt(head.number());
        L1Head again = l1.headAt(head.number()).orElse(null);
        if (again == null || !again.hash().equals(head.hash())) {
            throw new L1Exception("L1 block " + head.number() + " changed while the follower read the light client"
                    + " (reorg deeper than " + settings.confirmations() + " confirmations); nothing recorded", null);
        }
        if (answer.isEmpty()) {
            if (previous != null) {
                throw new L1Exception("LightClient.sol is gone at L1 block " + head.number() + " but held height "
                        + previous.height() + " at block " + previous.l1Block() + "; nothing recorded", null);
            }
            return null;
        }
        LightClientL1.Finalized f = answer.get();
        if (previous != null && (f.height() < previous.height()
                || (f.height() == previous.height() && !f.blockCommRoot().equals(previous.blockCommRoot())))) {
            throw new L1Exception("LightClient.sol at L1 block " + head.number() + " reports height " + f.height() + " root "
                    + f.blockCommRoot() + ", but at block " + previous.l1Block() + " it held height " + previous.height()
                    + " root " + previous.blockCommRoot() + "; nothing recorded", null);
        }
        if (previous != null && f.height() == previous.height()) return previous;
        return new LightClientOnL1(head.number(), f.view(), f.height(), f.blockCommRoot());
    }

    /** Polls until the follower has reached the confirmed head (bounded by {@code maxPolls}). */
    public PollResult catchUp(int maxPolls) {
        long before = followedBlock();
        PollResult last = null;
        try {
            for (int i = 0; i < maxPolls; i++) {
                last = poll();
                if (!last.advanced()) break;
            }
        } finally {
            // Also after a failed later poll: what the earlier ones followed is already visible.
            if (followedBlock() > before) advanceListeners.forEach(Runnable::run);
        }
        return last;
    }

    /** Installed by the service that polls this follower: its interval, and how {@link #pollSoon} reaches its thread. */
    void polledBy(long intervalMs, Runnable request) {
        this.pollIntervalMs = intervalMs;
        this.pollRequest = request;
    }

    @Override
    public long pollIntervalMs() {
        return pollIntervalMs;
    }

    @Override
    public void pollSoon() {
        pollRequest.run();
    }

    @Override
    public void onAdvance(Runnable listener) {
        advanceListeners.add(listener);
    }

    private Set<Long> tracked(L1Head head) {
        long cw = Math.max(0, clock.windowAt(head.timestampSec()));
        Set<Long> out = new java.util.TreeSet<>();
        for (long w = cw; w <= cw + settings.windowsAhead(); w++) out.add(w);
        return out;
    }

    private static ValidatorEvent toLedgerEvent(StakeTableEvent e) {
        return switch (e) {
            case StakeTableEvent.Registered r -> new ValidatorEvent.Joined(r.blockNumber(), r.logIndex(), r.validatorId(),
                    r.blsKey(), r.stakeGwei(), r.isDa());
            case StakeTableEvent.Exited x -> new ValidatorEvent.Left(x.blockNumber(), x.logIndex(), x.validatorId());
        };
    }

    private static List<ActiveValidator> applyStake(List<ActiveValidator> table, List<StakeTableEvent> events) {
        LinkedHashMap<Long, ActiveValidator> byId = new LinkedHashMap<>();
        for (ActiveValidator v : table) byId.put(v.validatorId(), v);
        for (StakeTableEvent e : events) {
            switch (e) {
                case StakeTableEvent.Registered r -> {
                    if (byId.size() >= MAX_VALIDATORS) {
                        throw new L1Exception("StakeTable has more than " + MAX_VALIDATORS + " active validators", null);
                    }
                    byId.put(r.validatorId(), new ActiveValidator(r.validatorId(), r.account(), r.blsKey(), r.stakeGwei(),
                            r.isDa(), r.blockNumber(), r.logIndex()));
                }
                case StakeTableEvent.Exited x -> byId.remove(x.validatorId());
            }
        }
        return new ArrayList<>(byId.values());
    }
}
