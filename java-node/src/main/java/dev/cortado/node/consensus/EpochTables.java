package dev.cortado.node.consensus;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The voting table of each epoch as one replica's core uses it: epoch 0 is {@link ConsensusConfig#stakes}, a later
 * epoch is what {@link Epochs.TableSource} gives, over the same universe of indices. Built once per epoch (the
 * leader schedule costs a pass over the stakes) and kept for the newest few epochs a certificate may still name.
 */
final class EpochTables {
    /** One epoch's stakes and leader rotation. */
    record Table(long epoch, StakeWeights stakes, LeaderSchedule schedule) {
    }

    private static final int KEPT = 8;

    private final ConsensusConfig config;
    private final TreeMap<Long, Table> kept = new TreeMap<>();

    EpochTables(ConsensusConfig config) {
        this.config = config;
    }

    /** Empty while the table source does not know {@code epoch}'s table (always, after 0, without epochs). */
    Optional<Table> of(long epoch) {
        Table table = kept.get(epoch);
        if (table != null) {
            return Optional.of(table);
        }
        Optional<StakeWeights> stakes = epoch == 0 ? Optional.of(config.stakes())
                : config.epochs().tables().table(epoch).map(EpochTable::weights);
        if (stakes.isEmpty()) {
            return Optional.empty();
        }
        if (stakes.get().size() != config.stakes().size()) {
            throw new IllegalStateException("the table of epoch " + epoch + " has " + stakes.get().size()
                    + " entries, not the universe of " + config.stakes().size());
        }
        table = new Table(epoch, stakes.get(), new LeaderSchedule(stakes.get()));
        kept.put(epoch, table);
        while (kept.size() > KEPT) {
            Map.Entry<Long, Table> oldest = kept.firstEntry();
            kept.remove(oldest.getKey().equals(epoch) ? kept.lastKey() : oldest.getKey());
        }
        return Optional.of(table);
    }

    Optional<StakeWeights> stakes(long epoch) {
        return of(epoch).map(Table::stakes);
    }
}
