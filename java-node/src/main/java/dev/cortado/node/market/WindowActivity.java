package dev.cortado.node.market;

import dev.cortado.protocol.types.Address;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the chain has decided so far inside one window, as far as sequencing rights care: each signer's last
 * bundle sequence number (replay protection) and each winner's last active slot (the silence rule). It is
 * derived from decided blocks only, folded block by block, so every replica holds the same value at the same
 * height. Keys are sequencer addresses that held a right in this window, at most one per rollup, so the state
 * is bounded by {@link MarketWindow#MAX_ROLLUPS} and a new window starts from empty.
 *
 * @param silenceSlots a winner with no decided bundle for this many slots loses its rollups to their default
 *                     sequencers for the rest of the window
 */
public record WindowActivity(long window, long firstSlot, long silenceSlots, Map<Address, Long> lastSequence,
                             Map<Address, Long> lastActiveSlot, Set<Address> fallenSilent) {
    public WindowActivity {
        if (silenceSlots < 1) throw new IllegalArgumentException("silenceSlots must be >= 1, got " + silenceSlots);
        lastSequence = Map.copyOf(lastSequence);
        lastActiveSlot = Map.copyOf(lastActiveSlot);
        fallenSilent = Set.copyOf(fallenSilent);
    }

    public static WindowActivity start(MarketWindow market, long silenceSlots) {
        return new WindowActivity(market.window(), market.firstSlot(), silenceSlots, Map.of(), Map.of(), Set.of());
    }

    public boolean hasFallenSilent(Address winner) {
        return fallenSilent.contains(winner);
    }

    /** The highest bundle sequence of {@code signer} decided in this window, or -1 for none. */
    public long lastSequenceOf(Address signer) {
        return lastSequence.getOrDefault(signer, -1L);
    }

    /**
     * The state a block at {@code slot} is judged in: every winner that has been silent for
     * {@code silenceSlots} before that slot has fallen, and stays fallen for the rest of the window.
     */
    public WindowActivity advanceTo(long slot, Collection<Address> winners) {
        if (slot < firstSlot) throw new IllegalArgumentException("slot " + slot + " precedes window " + window);
        Set<Address> fallen = new HashSet<>(fallenSilent);
        for (Address w : winners) {
            long since = lastActiveSlot.getOrDefault(w, firstSlot);
            if (slot - since >= silenceSlots) fallen.add(w);
        }
        return fallen.size() == fallenSilent.size() ? this
                : new WindowActivity(window, firstSlot, silenceSlots, lastSequence, lastActiveSlot, fallen);
    }

    /** Records a decided block at {@code slot} whose bundles ended at these per-signer sequence numbers. */
    public WindowActivity afterBlock(long slot, Map<Address, Long> lastSequenceInBlock) {
        if (lastSequenceInBlock.isEmpty()) return this;
        Map<Address, Long> seq = new HashMap<>(lastSequence);
        Map<Address, Long> active = new HashMap<>(lastActiveSlot);
        for (Map.Entry<Address, Long> e : lastSequenceInBlock.entrySet()) {
            seq.put(e.getKey(), e.getValue());
            active.put(e.getKey(), slot);
        }
        return new WindowActivity(window, firstSlot, silenceSlots, seq, active, fallenSilent);
    }
}
