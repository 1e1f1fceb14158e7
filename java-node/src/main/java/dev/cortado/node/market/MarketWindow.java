package dev.cortado.node.market;

import dev.cortado.protocol.types.Address;
import java.util.Map;

/**
 * The marketplace's final state for one window, as L1 records it at a block's {@code l1Head}: every rollup
 * registered for the window with its default sequencer, and the winning sequencer of each sold namespace.
 * A namespace absent from {@code defaultSequencers} is unregistered.
 *
 * @param slotsPerWindow the marketplace's window length, so the window's slots follow from its number
 */
public record MarketWindow(long window, long slotsPerWindow, Map<Long, Address> defaultSequencers,
                           Map<Long, Address> winners) {
    /** The contract's bundle bitmap has 256 bits, so no window holds more rollups. */
    public static final int MAX_ROLLUPS = 256;

    public MarketWindow {
        if (window < 0 || slotsPerWindow < 1) {
            throw new IllegalArgumentException("window must be >= 0 and slotsPerWindow >= 1");
        }
        defaultSequencers = Map.copyOf(defaultSequencers);
        winners = Map.copyOf(winners);
        if (defaultSequencers.size() > MAX_ROLLUPS) {
            throw new IllegalArgumentException(defaultSequencers.size() + " rollups exceed " + MAX_ROLLUPS);
        }
        for (Long ns : winners.keySet()) {
            if (!defaultSequencers.containsKey(ns)) {
                throw new IllegalArgumentException("namespace " + Long.toUnsignedString(ns)
                        + " has a winner but is not registered for window " + window);
            }
        }
    }

    public long firstSlot() {
        return Math.multiplyExact(window, slotsPerWindow);
    }

    public boolean contains(long slot) {
        return slot >= firstSlot() && slot - firstSlot() < slotsPerWindow;
    }

    /** The right for {@code namespace}, given whether its winner has fallen silent in this window. */
    public SequencingRight rightOf(long namespace, WindowActivity activity) {
        Address defaultSequencer = defaultSequencers.get(namespace);
        if (defaultSequencer == null) return new SequencingRight.Open();
        Address winner = winners.get(namespace);
        if (winner == null) return new SequencingRight.Restricted(defaultSequencer, SequencingRight.Reason.UNSOLD);
        if (activity.hasFallenSilent(winner)) {
            return new SequencingRight.Restricted(defaultSequencer, SequencingRight.Reason.FALLBACK);
        }
        return new SequencingRight.Restricted(winner, SequencingRight.Reason.SOLD);
    }
}
