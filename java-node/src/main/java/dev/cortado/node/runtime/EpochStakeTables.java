package dev.cortado.node.runtime;

import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeTable;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The protocol stake table (BLS keys, stake, DA flags; what LightClient.sol commits to) of each epoch, as the
 * light-client certificates and the {@code GET /v0/epoch/{e}} route use it. The answer for an epoch must never
 * change once given (every replica derives it from the same L1 block), but may be empty until it is known.
 * Called from the event thread and from API workers: implementations must be thread-safe.
 */
public interface EpochStakeTables {
    /** Empty for a network without epochs, whose one table (epoch 0) covers the whole chain. */
    Optional<EpochSchedule> schedule();

    /** {@code epoch}'s table; empty while not known (yet) or, without a schedule, for any epoch but 0. */
    Optional<StakeTable> table(long epoch);

    default long epochOf(long height) {
        return schedule().map(s -> s.epochOf(height)).orElse(0L);
    }

    /** True for the last height of an epoch, whose state names the next epoch's table (never without epochs). */
    default boolean isHandover(long height) {
        return schedule().map(s -> s.isLastOfEpoch(height)).orElse(false);
    }

    /** Today's network: one table for every height, no handovers. */
    static EpochStakeTables single(StakeTable table) {
        Objects.requireNonNull(table, "table");
        return new EpochStakeTables() {
            @Override
            public Optional<EpochSchedule> schedule() {
                return Optional.empty();
            }

            @Override
            public Optional<StakeTable> table(long epoch) {
                return epoch == 0 ? Optional.of(table) : Optional.empty();
            }
        };
    }

    /**
     * Epochs by {@code schedule}: epoch 0 is {@code genesis}, a later epoch is what {@code later} gives (e.g. the L1
     * table source's {@code protocolTable(epoch)}, which must be thread-safe and stable per epoch).
     */
    static EpochStakeTables of(EpochSchedule schedule, StakeTable genesis, LongFunction<Optional<StakeTable>> later) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(later, "later");
        return new EpochStakeTables() {
            @Override
            public Optional<EpochSchedule> schedule() {
                return Optional.of(schedule);
            }

            @Override
            public Optional<StakeTable> table(long epoch) {
                if (epoch < 0 || epoch > schedule.maxEpoch()) {
                    return Optional.empty();
                }
                return epoch == 0 ? Optional.of(genesis) : Objects.requireNonNull(later.apply(epoch), "table source answer");
            }
        };
    }
}
