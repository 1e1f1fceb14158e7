package dev.cortado.node.runtime;

import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.node.api.ApiBackend.EpochLookup;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeTable;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * {@code GET /v0/epoch/{e}}: the epoch's table and the handover that proves it, in the light-client library's
 * {@link EpochAnswer} shape. An epoch is served once this node decided and certified its handover (the previous
 * epoch's last height); without a schedule, epoch 0 is the whole chain ({@code lastHeight} is
 * {@link Long#MAX_VALUE}) and there is no other. Runs on API workers.
 */
final class EpochAnswers {
    private final EpochStakeTables tables;
    private final LongSupplier latestDecided;
    private final LongFunction<Optional<LightClientAnswer>> lightClientAt;

    EpochAnswers(EpochStakeTables tables, LongSupplier latestDecided, LongFunction<Optional<LightClientAnswer>> lightClientAt) {
        this.tables = tables;
        this.latestDecided = latestDecided;
        this.lightClientAt = lightClientAt;
    }

    EpochLookup answer(long epoch) {
        Optional<EpochSchedule> schedule = tables.schedule();
        if (schedule.isEmpty()) {
            if (epoch != 0) {
                return new EpochLookup.Missing("this network has no epochs: epoch 0 is the whole chain");
            }
            StakeTable table = tables.table(0).orElseThrow();
            return new EpochLookup.Found(new EpochAnswer(0, 0, Long.MAX_VALUE, table.commitment().toHex(), entries(table),
                    null));
        }
        EpochSchedule s = schedule.get();
        if (epoch > s.maxEpoch()) {
            return new EpochLookup.Missing("no epoch " + epoch + ": the last epoch of this schedule is " + s.maxEpoch());
        }
        long handover = epoch == 0 ? -1 : s.lastHeight(epoch - 1);
        long tip = latestDecided.getAsLong();
        if (tip < handover) {
            return new EpochLookup.Missing("epoch " + epoch + " is not reached: its handover is height " + handover
                    + ", this node decided up to " + tip);
        }
        Optional<StakeTable> table = tables.table(epoch);
        if (table.isEmpty()) {
            return new EpochLookup.Missing("the table of epoch " + epoch + " is not known to this node");
        }
        if (epoch == 0) {
            return new EpochLookup.Found(EpochAnswer.of(0, s, table.get(), null));
        }
        Optional<LightClientAnswer> lc = lightClientAt.apply(handover);
        if (lc.isEmpty()) {
            return new EpochLookup.Missing("the handover into epoch " + epoch + " (height " + handover
                    + ") is not certified on this node, or was pruned");
        }
        String named = lc.get().state().stakeTableComm();
        if (!table.get().commitment().toHex().equalsIgnoreCase(named)) {
            // Only a table source that changed its answer for an epoch gets here; clients would refuse the pair.
            return new EpochLookup.Missing("the handover into epoch " + epoch + " names table " + named
                    + ", not this node's table " + table.get().commitment().toHex());
        }
        return new EpochLookup.Found(EpochAnswer.of(epoch, s, table.get(), lc.get()));
    }

    private static List<EpochAnswer.EntryJson> entries(StakeTable table) {
        return table.entries().stream().map(e -> new EpochAnswer.EntryJson(e.key().toHex(), e.stakeGwei(), e.daMember()))
                .toList();
    }
}
