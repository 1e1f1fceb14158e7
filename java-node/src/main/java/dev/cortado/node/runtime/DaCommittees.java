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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DA committee of each epoch (issue 14): the members of the epoch's table (the core's table source, the same
 * one its QCs are measured by) whose {@code [[peers]]} entry has {@code da = true}, weighted by the epoch's stakes.
 * A block's committee is its height's epoch's. An epoch whose table the source does not know yet has no answer (the
 * caller waits; nothing is guessed). The source answers the same table for an epoch once it knows it, so the newest
 * {@link #RETAIN_EPOCHS} committees are kept; epoch 0 is fixed. Thread-safe: the event thread and the API's
 * retrievals both ask.
 */
final class DaCommittees {
    static final int RETAIN_EPOCHS = 8;

    private final Epochs epochs;
    private final List<BlsPublicKey> universe;
    private final BitSet daConfigured;
    private final DaCommittee genesis;
    private final Map<Long, DaCommittee> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DaCommittee> eldest) {
            return size() > RETAIN_EPOCHS;
        }
    };

    /**
     * @param universe every configured peer's key, by universe index
     * @param daConfigured the peers configured with {@code da = true}
     * @param genesisWeights epoch 0's stakes over the universe (zero for a peer without stake at genesis)
     */
    DaCommittees(Epochs epochs, List<BlsPublicKey> universe, BitSet daConfigured, StakeWeights genesisWeights) {
        this.epochs = epochs;
        this.universe = List.copyOf(universe);
        this.daConfigured = (BitSet) daConfigured.clone();
        this.genesis = DaCommittee.of(0, this.universe, this.daConfigured, stakesOf(genesisWeights));
    }

    static DaCommittees of(Epochs epochs, NodeUniverse u) {
        BitSet da = new BitSet();
        for (int i = 0; i < u.size(); i++) {
            da.set(i, u.committee().contains(u.peerKeys().get(i)));
        }
        return new DaCommittees(epochs, u.keys(), da, u.weights());
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
        return new DaCommittees(Epochs.NONE, keys, da, new StakeWeights(stake));
    }

    private static long[] stakesOf(StakeWeights w) {
        long[] s = new long[w.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = w.stakeGwei(i);
        }
        return s;
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
        StakeWeights w = table.get().weights();
        if (w.size() != universe.size()) {
            throw new IllegalStateException("the table of epoch " + epoch + " covers " + w.size() + " peers, the universe "
                    + universe.size());
        }
        DaCommittee c = DaCommittee.of(epoch, universe, daConfigured, stakesOf(w));
        recent.put(epoch, c);
        return Optional.of(c);
    }
}
