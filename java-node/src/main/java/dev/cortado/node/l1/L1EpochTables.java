package dev.cortado.node.l1;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.storage.EpochTableColumn;
import dev.cortado.node.storage.StorageException;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochRules;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.TableSnapshot;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every epoch's stake table from L1, as the consensus core's {@link Epochs.TableSource}: the table of epoch
 * {@code e} is {@code EpochRules.nextTable(table(e − 1), StakeTable.sol at the l1Head of the decided block
 * snapshotHeight(e))}. It reads only decided headers and the followed L1 history, so it answers the same for
 * the same epoch on every replica, however fast each one follows; an epoch whose snapshot block is not decided
 * or not followed yet is empty until it is.
 *
 * <p>Tables map to the network's fixed universe (its {@code [[peers]]} keys in order) by BLS key, each entry's
 * stake and {@code isDa} flag to its key's index (the DA committee of the epoch is drawn from those flags). A snapshot
 * naming a key outside the universe is treated as unusable and keeps the current table: that validator has no
 * index, so no bitmap could count its stake, and a table whose quorum counts stake nobody here can sign for
 * could halt the network. A snapshot block that read no L1 also keeps the current table: the genesis block
 * (height 0) and any block whose {@code l1Head} is 0, which a leader stamps before it adopted a followed L1
 * block (the follower's history may not reach back to L1 block 0). A snapshot the follower already
 * pruned cannot be derived here and stays unknown (logged once; the node must resync its L1 history).
 *
 * <p>Known epochs are memoised (a map read on the hot path); the newest {@code retainEpochs} and epoch 0
 * are kept in memory. With a {@link EpochTableColumn} every derived table is also stored, before it is used: a
 * restarted node resumes from the highest stored epoch instead of deriving every epoch again from genesis (which
 * needs every snapshot block and the whole stake history), and it answers an older epoch from the store even
 * after pruning its snapshot block. Without one, an epoch older than the retained ones is
 * {@link Lookup.Unavailable}. Thread-safe.
 */
public final class L1EpochTables implements Epochs.TableSource {
    public static final int DEFAULT_RETAIN_EPOCHS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(L1EpochTables.class);

    /** What is known of one epoch. */
    public sealed interface Lookup {
        long epoch();

        /**
         * {@code protocolTable} in L1 order (the light client's), {@code table} over the universe;
         * {@code keptBecause} says why the epoch kept the previous epoch's table instead of L1's, if it did.
         */
        record Known(long epoch, StakeTable protocolTable, EpochTable table, Optional<String> keptBecause)
                implements Lookup {
        }

        /** Not known yet (its snapshot block is not decided, or not followed); ask again later. */
        record Pending(long epoch, String reason) implements Lookup {
        }

        /** Will not become known here (forgotten, pruned, or no such epoch). */
        record Unavailable(long epoch, String reason) implements Lookup {
        }
    }

    private final EpochSchedule schedule;
    private final Map<BlsPublicKey, Integer> universe;
    private final int universeSize;
    private final DecidedL1Heads decided;
    private final StakeSnapshots snapshots;
    private final int retainEpochs;
    /** Null when tables are not persisted. */
    private final EpochTableColumn stored;
    /** Epoch 0 and the newest {@code retainEpochs} derived epochs (guarded by this). */
    private final TreeMap<Long, Lookup.Known> known = new TreeMap<>();
    private long highest;
    /** The epoch after {@link #highest} when it can never be derived here (a pruned snapshot). */
    private Lookup.Unavailable stuck;

    /**
     * @param genesis epoch 0's table; every key must be in the universe
     * @param universe the configured peers' keys in index order (index i is replica i)
     * @param retainEpochs how many of the newest derived epochs stay answerable (at least 2: the core needs
     *        the current and the next)
     */
    public L1EpochTables(EpochSchedule schedule, StakeTable genesis, List<BlsPublicKey> universe,
                         DecidedL1Heads decided, StakeSnapshots snapshots, int retainEpochs) {
        this(schedule, genesis, universe, decided, snapshots, retainEpochs, null);
    }

    /**
     * @param stored where derived tables are kept across restarts (null: memory only). Its epoch 0 must be
     *        {@code genesis} and its tables must hold only configured keys, else this refuses to start: the data
     *        directory was written by a network with other peers.
     */
    public L1EpochTables(EpochSchedule schedule, StakeTable genesis, List<BlsPublicKey> universe,
                         DecidedL1Heads decided, StakeSnapshots snapshots, int retainEpochs, EpochTableColumn stored) {
        if (schedule == null || genesis == null || universe == null || decided == null || snapshots == null) {
            throw new IllegalArgumentException("schedule, genesis table, universe, decided heads and snapshots are required");
        }
        if (retainEpochs < 2) throw new IllegalArgumentException("retainEpochs must be at least 2, got " + retainEpochs);
        Map<BlsPublicKey, Integer> index = new HashMap<>();
        for (int i = 0; i < universe.size(); i++) {
            if (index.putIfAbsent(universe.get(i), i) != null) {
                throw new IllegalArgumentException("universe index " + i + " repeats key " + universe.get(i).toHex());
            }
        }
        this.schedule = schedule;
        this.universe = Map.copyOf(index);
        this.universeSize = universe.size();
        this.decided = decided;
        this.snapshots = snapshots;
        this.retainEpochs = retainEpochs;
        String foreign = foreignKey(genesis);
        if (foreign != null) throw new IllegalArgumentException("the genesis table " + foreign);
        known.put(0L, known(0, genesis, null));
        this.stored = stored;
        if (stored != null) resume(genesis);
    }

    private void resume(StakeTable genesis) {
        Optional<StakeTable> storedGenesis = stored.get(0);
        if (storedGenesis.isEmpty()) {
            stored.put(0, genesis);
        } else if (!storedGenesis.get().commitment().equals(genesis.commitment())) {
            throw new StorageException("the stored stake table of epoch 0 (commitment "
                    + storedGenesis.get().commitment() + ") is not this network's genesis table (" + genesis.commitment()
                    + "): the data directory belongs to another network");
        }
        long top = Math.min(stored.highest().orElse(0), schedule.maxEpoch());
        for (long e = Math.max(1, top - retainEpochs + 1); e <= top; e++) {
            long epoch = e;
            StakeTable table = stored.get(epoch).orElseThrow(() -> new StorageException(
                    "the stored stake tables skip epoch " + epoch + " below the highest stored " + top));
            String foreign = foreignKey(table);
            if (foreign != null) {
                throw new StorageException("the stored stake table of epoch " + epoch + " " + foreign);
            }
            known.put(epoch, known(epoch, table, null));
        }
        highest = top;
        if (top > 0) LOG.info("stake tables of epochs up to {} read from the store", top);
    }

    @Override
    public Optional<EpochTable> table(long epoch) {
        return lookup(epoch) instanceof Lookup.Known k ? Optional.of(k.table()) : Optional.empty();
    }

    /** The table of {@code epoch} in L1 order, as the light client and LightClient.sol's rotation see it. */
    public Optional<StakeTable> protocolTable(long epoch) {
        return lookup(epoch) instanceof Lookup.Known k ? Optional.of(k.protocolTable()) : Optional.empty();
    }

    /** The highest epoch derived so far. */
    public synchronized long highestKnownEpoch() {
        return highest;
    }

    /**
     * What is known of {@code epoch}: derives, in order, the epochs from the highest known one up to it, and
     * stops at the first that cannot be derived yet (so a far-future epoch costs one attempt).
     */
    public synchronized Lookup lookup(long epoch) {
        if (epoch < 0 || epoch > schedule.maxEpoch()) {
            return new Lookup.Unavailable(epoch, "no epoch " + epoch + " (epochs are 0.." + schedule.maxEpoch() + ")");
        }
        Lookup.Known k = known.get(epoch);
        if (k != null) return k;
        if (epoch < highest) {
            Optional<StakeTable> old = stored == null ? Optional.empty() : stored.get(epoch);
            if (old.isPresent() && foreignKey(old.get()) == null) return known(epoch, old.get(), null);
            return new Lookup.Unavailable(epoch, "epoch " + epoch + " is older than the " + retainEpochs
                    + " epochs kept (newest " + highest + ")" + (stored == null ? "" : " and not in the store"));
        }
        if (stuck != null) return epoch == stuck.epoch() ? stuck : blockedBy(epoch, stuck);
        for (long e = highest + 1; e <= epoch; e++) {
            Lookup next = derive(e, known.get(e - 1).protocolTable());
            if (next instanceof Lookup.Unavailable u) {
                stuck = u;
                LOG.warn("stake table of epoch {} cannot be derived, nor any later one: {}", e, u.reason());
            }
            if (!(next instanceof Lookup.Known derived)) return e == epoch ? next : blockedBy(epoch, next);
            if (stored != null) stored.put(e, derived.protocolTable());
            known.put(e, derived);
            highest = e;
            while (known.size() > retainEpochs + 1) known.remove(known.higherKey(0L));
        }
        return known.get(epoch);
    }

    private static Lookup blockedBy(long epoch, Lookup earlier) {
        String why = "epoch " + epoch + " needs epoch " + earlier.epoch() + " first: ";
        return switch (earlier) {
            case Lookup.Pending p -> new Lookup.Pending(epoch, why + p.reason());
            case Lookup.Unavailable u -> new Lookup.Unavailable(epoch, why + u.reason());
            case Lookup.Known k -> throw new IllegalStateException("epoch " + k.epoch() + " is known");
        };
    }

    private Lookup derive(long epoch, StakeTable current) {
        long height = schedule.snapshotHeight(epoch);
        if (height == 0) {
            return known(epoch, current, "its snapshot is the genesis block, which read no L1");
        }
        if (height < decided.oldestKept()) {
            return new Lookup.Unavailable(epoch, "its snapshot height " + height + " was pruned from the decided chain"
                    + " (oldest kept " + decided.oldestKept() + ")");
        }
        OptionalLong l1Head = decided.l1HeadAt(height);
        if (l1Head.isEmpty()) return new Lookup.Pending(epoch, "its snapshot height " + height + " is not decided yet");
        if (l1Head.getAsLong() == 0) {
            return known(epoch, current, "its snapshot block (height " + height + ") names no L1 block: its leader had"
                    + " not adopted one yet");
        }
        TableSnapshot snapshot = snapshots.stakeTableAt(l1Head.getAsLong());
        switch (snapshot) {
            case TableSnapshot.NotYetSeen n -> {
                return new Lookup.Pending(epoch, "L1 block " + n.l1Block() + " (the l1Head of height " + height
                        + ") is not followed yet (followed to " + n.followedBlock() + ")");
            }
            case TableSnapshot.Pruned p -> {
                return new Lookup.Unavailable(epoch, "the stake history at L1 block " + p.l1Block() + " (the l1Head of"
                        + " height " + height + ") was pruned (oldest kept " + p.oldestBlock() + ")");
            }
            case TableSnapshot.Table t -> {
                String foreign = foreignKey(t.table());
                if (foreign != null) snapshot = new TableSnapshot.Unusable(t.l1Block(), "StakeTable.sol's table " + foreign);
            }
            case TableSnapshot.NoValidators n -> { }
            case TableSnapshot.Unusable u -> { }
        }
        String kept = switch (snapshot) {
            case TableSnapshot.Unusable u -> "StakeTable.sol at L1 block " + u.l1Block() + " (the l1Head of height "
                    + height + ") cannot be used: " + u.reason();
            case TableSnapshot.NoValidators n -> "StakeTable.sol has no validators at L1 block " + n.l1Block()
                    + " (the l1Head of height " + height + ")";
            default -> null;
        };
        return known(epoch, EpochRules.nextTable(current, snapshot), kept);
    }

    /** Why {@code table} names a key outside the universe, or null when every key has an index. */
    private String foreignKey(StakeTable table) {
        for (int i = 0; i < table.size(); i++) {
            BlsPublicKey key = table.entry(i).key();
            if (!universe.containsKey(key)) {
                return "holds key " + key.toHex() + " (entry " + i + ") that is none of the " + universeSize
                        + " configured peers: this network cannot count its votes";
            }
        }
        return null;
    }

    /** Each epoch is derived once (then memoised or forgotten), so a kept table is logged once. */
    private Lookup.Known known(long epoch, StakeTable table, String keptBecause) {
        if (keptBecause != null) {
            LOG.warn("stake table of epoch {} keeps the table of epoch {}: {}", epoch, epoch - 1, keptBecause);
        }
        long[] stakeGwei = new long[universeSize];
        BitSet da = new BitSet(universeSize);
        for (StakeEntry e : table.entries()) {
            int index = universe.get(e.key());
            stakeGwei[index] = e.stakeGwei();
            // StakeTable.sol's isDa (the configured da flag for genesis): the committee is drawn from it.
            da.set(index, e.daMember());
        }
        return new Lookup.Known(epoch, table, new EpochTable(StakeWeights.ofEpoch(stakeGwei), da, table.commitment()),
                Optional.ofNullable(keptBecause));
    }
}
