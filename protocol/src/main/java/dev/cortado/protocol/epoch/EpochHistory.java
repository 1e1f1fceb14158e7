package dev.cortado.protocol.epoch;

import dev.cortado.protocol.stake.StakeTable;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tables of consecutive epochs, each admitted only through a handover the previous one signed, starting
 * from a trusted genesis table. What a light client (and a catching-up node) believes about who signs.
 * Keeps the newest {@code retainEpochs} tables; an older epoch's table is forgotten, never guessed.
 */
public final class EpochHistory {
    private final EpochSchedule schedule;
    private final long chainId;
    private final int retainEpochs;
    private final TreeMap<Long, StakeTable> tables = new TreeMap<>();

    public EpochHistory(EpochSchedule schedule, long chainId, StakeTable genesis, int retainEpochs) {
        if (retainEpochs < 2) throw new IllegalArgumentException("retain at least 2 epochs, got " + retainEpochs);
        this.schedule = schedule;
        this.chainId = chainId;
        this.retainEpochs = retainEpochs;
        tables.put(0L, genesis);
    }

    public EpochSchedule schedule() {
        return schedule;
    }

    public long latestEpoch() {
        return tables.lastKey();
    }

    public long oldestEpoch() {
        return tables.firstKey();
    }

    public StakeTable latestTable() {
        return tables.lastEntry().getValue();
    }

    public Optional<StakeTable> tableOf(long epoch) {
        return Optional.ofNullable(tables.get(epoch));
    }

    /** The table that signs the light-client state of {@code height}, when its epoch is known. */
    public Optional<StakeTable> signerOf(long height) {
        return tableOf(schedule.epochOf(height));
    }

    /** Verifies and records the handover into the epoch after the newest known one. */
    public synchronized void accept(Handover handover) throws HandoverException {
        long expected = latestEpoch() + 1;
        if (handover.epoch() != expected) {
            throw new HandoverException(HandoverException.Reason.OUT_OF_ORDER,
                    "the next handover is into epoch " + expected + ", got epoch " + handover.epoch());
        }
        handover.verify(schedule, chainId, latestTable());
        tables.put(handover.epoch(), handover.table());
        while (tables.size() > retainEpochs) tables.pollFirstEntry();
    }

    /** A copy of the retained tables by epoch. */
    public synchronized Map<Long, StakeTable> tables() {
        return new TreeMap<>(tables);
    }
}
