package dev.cortado.settlement.port;

/**
 * The marketplace's time: its slot clock and how many slots a window has.
 *
 * @param slotsPerWindow window {@code w} covers slots {@code [w·S, (w+1)·S)}
 */
public record MarketClock(SlotClock slots, long slotsPerWindow) {
    public MarketClock {
        java.util.Objects.requireNonNull(slots, "slots");
        if (slotsPerWindow < 1) throw new IllegalArgumentException("slotsPerWindow must be >= 1, got " + slotsPerWindow);
    }

    /** The window containing {@code unixTimeSec}, or -1 before the clock's genesis. */
    public long windowAt(long unixTimeSec) {
        return unixTimeSec < slots.genesisTimeSec() ? -1 : slots.slotAt(unixTimeSec) / slotsPerWindow;
    }

    /** The contract's rule: a window's result is final from its first slot on. */
    public boolean isFinalAt(long window, long unixTimeSec) {
        return unixTimeSec >= slots.genesisTimeSec() && slots.slotAt(unixTimeSec) >= Math.multiplyExact(window, slotsPerWindow);
    }
}
