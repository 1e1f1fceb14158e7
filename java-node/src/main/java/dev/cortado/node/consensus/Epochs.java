package dev.cortado.node.consensus;

import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import java.util.Optional;

/**
 * Epochs by height, as {@link EpochSchedule} lays them out: epoch {@code e} holds heights
 * {@code [e * E, (e + 1) * E - 1]}. The last leaf of epoch {@code e} (its handover leaf) must carry the commitment
 * of epoch {@code e + 1}'s stake table, and no other leaf may carry one; an honest replica refuses a proposal that
 * breaks this, so the table a QC certifies at the handover is the one every honest replica derives from the
 * table source. {@link #NONE} is the single-table network: no leaf ever hands over.
 *
 * <p>The table source: in the node, {@code EpochRules} over StakeTable.sol's state at the schedule's snapshot
 * height (not wired yet); in the simulator, a deterministic schedule. The core votes with an epoch's table once
 * it decided the previous epoch's handover leaf (docs/architecture.md, "Epochs in the consensus core").
 */
public final class Epochs {
    /** Where the tables come from: pure (the same answer for the same epoch, on every replica). */
    @FunctionalInterface
    public interface TableSource {
        /**
         * {@code epoch}'s table (for epoch 1 and later; epoch 0 votes with {@link ConsensusConfig#stakes}), empty
         * while the source does not know it yet. Its universe must be the size of the genesis table's.
         */
        Optional<EpochTable> table(long epoch);
    }

    public static final Epochs NONE = new Epochs(null, epoch -> Optional.empty());

    /** Null for {@link #NONE}. */
    private final EpochSchedule schedule;
    private final TableSource tables;

    private Epochs(EpochSchedule schedule, TableSource tables) {
        this.schedule = schedule;
        this.tables = tables;
    }

    public static Epochs of(EpochSchedule schedule, TableSource tables) {
        if (schedule == null || tables == null) {
            throw new IllegalArgumentException("the schedule and the table source are required");
        }
        return new Epochs(schedule, tables);
    }

    /** Empty for the single-table network. */
    public Optional<EpochSchedule> schedule() {
        return Optional.ofNullable(schedule);
    }

    public TableSource tables() {
        return tables;
    }

    public long epochOf(Height height) {
        return schedule == null ? 0 : schedule.epochOf(height.value());
    }

    /** The last height of {@code epoch}; {@link Long#MAX_VALUE} for the single-table network. */
    public long lastHeight(long epoch) {
        return schedule == null ? Long.MAX_VALUE : schedule.lastHeight(epoch);
    }

    /** A leaf proposed in {@code epoch} above that epoch's last height: it carries no block and is never decided. */
    public boolean isSuffix(long epoch, Height height) {
        return height.value() > lastHeight(epoch);
    }

    /** True for the last height of an epoch, whose leaf certifies the next epoch's table. */
    public boolean isHandover(Height height) {
        return schedule != null && schedule.isLastOfEpoch(height.value());
    }
    /**
     * What the leaf at {@code height} must carry as {@link Leaf#nextStakeTable}: {@link Bytes32#ZERO} off the
     * handover, the next epoch's commitment on it; empty when that commitment is not known yet.
     */
    public Optional<Bytes32> requiredNextTable(Height height) {
        if (!isHandover(height)) {
            return Optional.of(Bytes32.ZERO);
        }
        Optional<Bytes32> next = tables.table(epochOf(height) + 1).map(EpochTable::commitment);
        if (next.isPresent() && next.get().equals(Bytes32.ZERO)) {
            throw new IllegalStateException("the table source gave the zero commitment for epoch "
                    + (epochOf(height) + 1));
        }
        return next;
    }

    /**
     * Why {@code leaf} breaks the handover rule, if it does. A handover whose next table is not known yet is
     * not judged here: the caller must not vote on it, but cannot blame the proposer either.
     */
    public Optional<String> checkNextTable(Leaf leaf) {
        Optional<Bytes32> required = requiredNextTable(leaf.height());
        if (required.isEmpty() || required.get().equals(leaf.nextStakeTable())) {
            return Optional.empty();
        }
        if (!isHandover(leaf.height())) {
            return Optional.of("leaf at " + leaf.height() + " names a next stake table but is not the last of epoch "
                    + epochOf(leaf.height()));
        }
        long next = epochOf(leaf.height()) + 1;
        return Optional.of(leaf.handsOver()
                ? "leaf at " + leaf.height() + " names " + leaf.nextStakeTable() + " as the table of epoch " + next
                        + ", not " + required.get()
                : "leaf at " + leaf.height() + " is the last of epoch " + (next - 1)
                        + " but omits the table of epoch " + next);
    }
}
