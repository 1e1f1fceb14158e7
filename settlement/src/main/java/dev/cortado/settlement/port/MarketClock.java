package dev.cortado.settlement.port;

/**
 * The marketplace's time: its slot clock, how many slots a window has, and from when a window's result is final
 * (SequencingMarketplace.sol's {@code phaseOf} says {@code Final}).
 *
 * @param slotsPerWindow window {@code w} covers slots {@code [w·S, (w+1)·S)}
 * @param finalitySlots  an auctioned window's result is final from slot {@code w·S − finalitySlots} on, so nodes
 *                       that read L1 a few blocks deep see it before the window opens (at least 1)
 * @param auctionSlots   slots from a window's commit phase to its first slot, the finality gap included; a window
 *                       starting before that many slots after genesis is never auctioned, and its result (every
 *                       rollup unsold) is final only from its first slot
 */
public record MarketClock(SlotClock slots, long slotsPerWindow, long finalitySlots, long auctionSlots) {
    public MarketClock {
        java.util.Objects.requireNonNull(slots, "slots");
        if (slotsPerWindow < 1) throw new IllegalArgumentException("slotsPerWindow must be >= 1, got " + slotsPerWindow);
        if (finalitySlots < 1 || auctionSlots <= finalitySlots) {
            throw new IllegalArgumentException("need 1 <= finalitySlots < auctionSlots, got finality " + finalitySlots
                    + ", auction " + auctionSlots);
        }
    }

    /** The window containing {@code unixTimeSec}, or -1 before the clock's genesis. */
    public long windowAt(long unixTimeSec) {
        return unixTimeSec < slots.genesisTimeSec() ? -1 : slots.slotAt(unixTimeSec) / slotsPerWindow;
    }

    /** The first slot at which window {@code window}'s result is final. */
    public long finalSlot(long window) {
        long start = Math.multiplyExact(window, slotsPerWindow);
        return start < auctionSlots ? start : start - finalitySlots;
    }

    /** The contract's rule: a window's result is final from {@link #finalSlot} on. */
    public boolean isFinalAt(long window, long unixTimeSec) {
        return unixTimeSec >= slots.genesisTimeSec() && slots.slotAt(unixTimeSec) >= finalSlot(window);
    }
}
