package dev.cortado.node.runtime;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.types.Height;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who holds which VID share of a block (issue 14). The block at height h is dispersed over the share holders of
 * its epoch e = {@code epochOf(h)}: the universe indices (the {@code [[peers]]} order) with stake in e's table, in
 * ascending index; n_e is their count and a holder's share position is its rank among them. A configured peer
 * without stake in e (a joiner before its first epoch, a validator after its exit) holds no share of e's blocks.
 * Epoch 0's table is the genesis weights (as the core's); later epochs come from the core's table source, so shares
 * follow the same tables as the QCs and the DA committee. An epoch whose table the source does not know yet has no
 * answer: the caller waits or refuses, nothing is guessed (such a block cannot be certified before the table is
 * known anyway).
 *
 * <p>Without epochs every peer is staked (the node refuses an unstaked peer then), so n is the universe and a peer's
 * position is its index: the assignment of the network before this rule, byte for byte.
 *
 * <p>The source answers the same table for an epoch once it knows it, so the newest {@link #RETAIN_EPOCHS}
 * assignments are kept and epoch 0's is fixed. Pure apart from that cache; thread-safe (the event thread, the
 * block-check workers and the API's retrievals all ask).
 */
final class VidSlots {
    static final int RETAIN_EPOCHS = 8;

    /** One epoch's share holders. Immutable. */
    static final class Assignment {
        private final long epoch;
        /** Position to universe index, ascending. */
        private final int[] holders;
        /** Universe index to position, -1 for a peer without a share. */
        private final int[] positions;

        private Assignment(long epoch, StakeWeights weights) {
            this.epoch = epoch;
            this.positions = new int[weights.size()];
            Arrays.fill(positions, -1);
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) {
                if (weights.isMember(i)) {
                    positions[i] = held.size();
                    held.add(i);
                }
            }
            this.holders = held.stream().mapToInt(Integer::intValue).toArray();
        }

        long epoch() {
            return epoch;
        }

        /** n_e: the number of shares every block of the epoch is encoded into (at least one: a table has a member). */
        int shareCount() {
            return holders.length;
        }

        int universeSize() {
            return positions.length;
        }

        /** The share position of universe index {@code index}, empty if it holds no share in this epoch. */
        OptionalInt positionOf(int index) {
            return index < 0 || index >= positions.length || positions[index] < 0 ? OptionalInt.empty()
                    : OptionalInt.of(positions[index]);
        }

        /** The universe index that holds share {@code position}. */
        int holderAt(int position) {
            if (position < 0 || position >= holders.length) {
                throw new IllegalArgumentException("epoch " + epoch + " has shares 0.." + (holders.length - 1) + ", not "
                        + position);
            }
            return holders[position];
        }

        /**
         * Why this node (universe index {@code me}) having a share ({@code hasShare}) or none contradicts the epoch:
         * a holder must be sent its share, a peer outside the holders must be sent none.
         */
        Optional<String> presenceProblem(int me, boolean hasShare) {
            OptionalInt p = positionOf(me);
            if (p.isPresent() && !hasShare) {
                return Optional.of("no share for node " + me + ", which holds position " + p.getAsInt() + " of "
                        + shareCount() + " in epoch " + epoch);
            }
            if (p.isEmpty() && hasShare) {
                return Optional.of("a share for node " + me + ", which holds no share in epoch " + epoch
                        + " (no stake in its table)");
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "epoch " + epoch + ": " + holders.length + " shares held by " + Arrays.toString(holders);
        }
    }

    private final Epochs epochs;
    private final Assignment genesis;
    private final Map<Long, Assignment> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Assignment> eldest) {
            return size() > RETAIN_EPOCHS;
        }
    };

    /** @param genesisWeights epoch 0's stakes over the universe (the core's {@code ConsensusConfig.stakes()}) */
    VidSlots(Epochs epochs, StakeWeights genesisWeights) {
        this.epochs = epochs;
        this.genesis = new Assignment(0, genesisWeights);
    }

    /** Every one of {@code universeSize} peers holds a share, at its own index, in every block (one table). */
    static VidSlots single(int universeSize) {
        return new VidSlots(Epochs.NONE, StakeWeights.equal(universeSize, 1));
    }

    int universeSize() {
        return genesis.universeSize();
    }

    long epochOf(Height height) {
        return epochs.epochOf(height);
    }

    /** The holders of the shares of the block at {@code height}; empty while its epoch's table is unknown. */
    Optional<Assignment> forHeight(Height height) {
        return forEpoch(epochOf(height));
    }

    synchronized Optional<Assignment> forEpoch(long epoch) {
        if (epoch == 0) {
            return Optional.of(genesis);
        }
        Assignment known = recent.get(epoch);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<EpochTable> table = epochs.tables().table(epoch);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        StakeWeights w = table.get().weights();
        if (w.size() != genesis.universeSize()) {
            throw new IllegalStateException("the table of epoch " + epoch + " covers " + w.size() + " peers, the universe "
                    + genesis.universeSize());
        }
        Assignment a = new Assignment(epoch, w);
        recent.put(epoch, a);
        return Optional.of(a);
    }

    /** Epochs other than 0 held now (tests: the bound). */
    synchronized int cachedEpochs() {
        return recent.size();
    }
}
