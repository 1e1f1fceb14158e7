package dev.cortado.settlement.port;

import dev.cortado.protocol.types.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * One window of the marketplace as L1 records it at one block.
 *
 * @param resultFinal whether the window's result was final at that block (from its finality gap on, before the
 *                    window opens; then {@code winners} is its final result)
 * @param rollups every rollup holding an index in the window, ascending by index
 * @param winners the winning sequencer of each sold namespace; empty until final. A namespace whose winner is
 *                its own default sequencer is listed as unsold (same holder either way)
 */
public record WindowState(long window, boolean resultFinal, List<Rollup> rollups, Map<Long, Address> winners) {
    /** The contract's bundle bitmap is 256 bits wide. */
    public static final int MAX_ROLLUPS = 256;

    public WindowState {
        rollups = List.copyOf(rollups);
        winners = Map.copyOf(winners);
        if (rollups.size() > MAX_ROLLUPS) throw new IllegalArgumentException(rollups.size() + " rollups exceed " + MAX_ROLLUPS);
        if (!resultFinal && !winners.isEmpty()) throw new IllegalArgumentException("winners before window " + window + " is final");
    }

    /** A rollup's index and terms in the window. */
    public record Rollup(int index, long namespace, Address defaultSequencer, BigInteger reserveWei) {
    }
}
