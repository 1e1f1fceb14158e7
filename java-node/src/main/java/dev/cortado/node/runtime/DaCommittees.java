package dev.cortado.node.runtime;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.da.DaCommittee;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Height;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DA committee of each epoch (issue 14): the indices the epoch's table (the core's table source, the same one its
 * QCs are measured by) marks as DA members, that is StakeTable.sol's {@code isDa} for a table read from L1, and whose
 * {@code [[peers]]} entry has {@code da = true}, weighted by the epoch's stakes. A block's committee is its height's
 * epoch's.
 *
 * <p>Why the intersection: full blocks travel on {@code Topic.DA_COMMITTEE}, which only the configured {@code da}
 * peers subscribe to, so a validator L1 marks {@code isDa} whose node is not configured {@code da} is never sent a
 * full block and could never vote; counting its stake would only raise the threshold the others must reach. It is
 * left out, with one warning per epoch naming its key ({@link #mismatch}). A configured {@code da} peer that the
 * table does not mark is simply not a member: it still receives and checks full blocks, and signs nothing.
 *
 * <p>An epoch whose table the source does not know yet has no answer (the caller waits; nothing is guessed). The
 * source answers the same table for an epoch once it knows it, so the newest {@link #RETAIN_EPOCHS} committees are
 * kept; epoch 0 is fixed. Thread-safe: the event thread and the API's retrievals both ask.
 */
final class DaCommittees {
    static final int RETAIN_EPOCHS = 8;
    /** Epochs whose mismatch was reported, so an epoch evicted and rebuilt is not reported again. */
    private static final int WARNED_EPOCHS = 1_024;
    private static final Logger LOG = LoggerFactory.getLogger(DaCommittees.class);

    private final Epochs epochs;
    private final List<BlsPublicKey> universe;
    private final BitSet daConfigured;
    private final Consumer<String> warn;
    private final DaCommittee genesis;
    private final Map<Long, DaCommittee> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DaCommittee> eldest) {
            return size() > RETAIN_EPOCHS;
        }
    };
    private final SequencedSet<Long> warned = new LinkedHashSet<>();

    /**
     * @param universe every configured peer's key, by universe index
     * @param daConfigured the peers configured with {@code da = true}
     * @param genesis epoch 0's table over the universe (its DA flags are the configured ones)
     * @param warn where a mismatch between a table's DA flags and the configuration is reported
     */
    DaCommittees(Epochs epochs, List<BlsPublicKey> universe, BitSet daConfigured, EpochTable genesis,
                 Consumer<String> warn) {
        this.epochs = epochs;
        this.universe = List.copyOf(universe);
        this.daConfigured = (BitSet) daConfigured.clone();
        this.warn = warn;
        this.genesis = committee(0, genesis);
    }

    DaCommittees(Epochs epochs, List<BlsPublicKey> universe, BitSet daConfigured, EpochTable genesis) {
        this(epochs, universe, daConfigured, genesis, LOG::warn);
    }

    static DaCommittees of(Epochs epochs, NodeUniverse u) {
        return of(epochs, u, LOG::warn);
    }

    static DaCommittees of(Epochs epochs, NodeUniverse u, Consumer<String> warn) {
        BitSet da = new BitSet();
        for (int i = 0; i < u.size(); i++) {
            da.set(i, u.committee().contains(u.peerKeys().get(i)));
        }
        // The genesis table is the staked peers in universe order, each with its configured da flag.
        BitSet genesisDa = new BitSet();
        for (int i = 0; i < u.genesis().size(); i++) {
            genesisDa.set(i, u.genesis().entry(i).daMember());
        }
        return new DaCommittees(epochs, u.keys(), da, new EpochTable(u.weights(), genesisDa, u.genesis().commitment()),
                warn);
    }

    /** One table for the life of the network, its positions the universe (tests of the gate on its own). */
    static DaCommittees single(StakeTable table) {
        List<BlsPublicKey> keys = new ArrayList<>();
        BitSet da = new BitSet();
        long[] stake = new long[table.size()];
        for (int i = 0; i < table.size(); i++) {
            keys.add(table.entry(i).key());
            da.set(i, table.entry(i).daMember());
            stake[i] = table.entry(i).stakeGwei();
        }
        return new DaCommittees(Epochs.NONE, keys, da, new EpochTable(new StakeWeights(stake), da, table.commitment()));
    }

    int universeSize() {
        return universe.size();
    }

    /** Configured with {@code da = true}: sent every full block (the committee of any epoch is among these). */
    boolean daConfigured(int index) {
        return daConfigured.get(index);
    }

    long epochOf(Height height) {
        return epochs.epochOf(height);
    }

    /** The committee that certifies the block at {@code height}; empty while its epoch's table is unknown. */
    Optional<DaCommittee> forHeight(Height height) {
        return forEpoch(epochOf(height));
    }

    synchronized Optional<DaCommittee> forEpoch(long epoch) {
        if (epoch == 0) {
            return Optional.of(genesis);
        }
        DaCommittee known = recent.get(epoch);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<EpochTable> table = epochs.tables().table(epoch);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        DaCommittee c = committee(epoch, table.get());
        recent.put(epoch, c);
        return Optional.of(c);
    }

    private DaCommittee committee(long epoch, EpochTable table) {
        DaCommittee c = DaCommittee.ofEpoch(epoch, universe, table, daConfigured);
        mismatch(epoch, table).ifPresent(m -> {
            if (warned.add(epoch)) {
                warn.accept(m);
                if (warned.size() > WARNED_EPOCHS) warned.removeFirst();
            }
        });
        return c;
    }

    /**
     * Why {@code table} marks peers as DA that this configuration never sends full blocks to, if it does: the exact
     * warning, naming each such peer's index and key.
     */
    Optional<String> mismatch(long epoch, EpochTable table) {
        BitSet unreachable = table.daMembers();
        unreachable.andNot(daConfigured);
        if (unreachable.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>();
        unreachable.stream().forEach(i -> named.add("index " + i + " (key " + universe.get(i).toHex() + ")"));
        return Optional.of("the stake table of epoch " + epoch + " marks " + String.join(", ", named)
                + " as DA but its [[peers]] entry has no da = true: it is sent no full blocks and cannot vote, so it is"
                + " left out of the DA committee of epoch " + epoch + " (configure da = true for it on every node to"
                + " match its StakeTable.sol registration)");
    }
}
