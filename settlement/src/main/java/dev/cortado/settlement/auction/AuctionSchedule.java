package dev.cortado.settlement.auction;

/**
 * The marketplace's auction calendar in slots, the same arithmetic as SequencingMarketplace.sol's
 * {@code phaseOf} and {@code scheduleOf}: window w covers slots [w·S, (w+1)·S); its result is final from the
 * {@code finalitySlots} slots before w·S on (so nodes reading L1 that many blocks deep see it when the window
 * opens); its resolution phase is the {@code resolutionSlots} slots before those, reveal the
 * {@code revealSlots} before those, commit the {@code commitSlots} before those. Windows whose commit phase
 * would start before slot 0 are never auctioned. The bidder and resolver decide from this and the L1's latest
 * block time, so a decision costs no RPC round trip per window.
 */
public record AuctionSchedule(long slotsPerWindow, long commitSlots, long revealSlots, long resolutionSlots,
        long finalitySlots) {
    public AuctionSchedule {
        if (slotsPerWindow < 1 || commitSlots < 1 || revealSlots < 1 || resolutionSlots < 1 || finalitySlots < 1) {
            throw new IllegalArgumentException("every window and phase length must be >= 1 slot, got window "
                    + slotsPerWindow + ", commit " + commitSlots + ", reveal " + revealSlots + ", resolution "
                    + resolutionSlots + ", finality " + finalitySlots);
        }
    }

    /** Slots from a window's commit phase to its first slot, the finality gap included. */
    public long auctionSlots() {
        return commitSlots + revealSlots + resolutionSlots + finalitySlots;
    }

    public long windowSlot(long window) {
        return Math.multiplyExact(window, slotsPerWindow);
    }

    /** The first slot at which the window's result is final (resolution is over). */
    public long finalSlot(long window) {
        return windowSlot(window) - finalitySlots;
    }

    public long resolutionSlot(long window) {
        return finalSlot(window) - resolutionSlots;
    }

    public long revealSlot(long window) {
        return resolutionSlot(window) - revealSlots;
    }

    public long commitSlot(long window) {
        return revealSlot(window) - commitSlots;
    }

    /** Whether the window is auctioned at all (its commit phase starts at slot 0 or later). */
    public boolean auctioned(long window) {
        return window >= 0 && windowSlot(window) >= auctionSlots();
    }

    public AuctionPhase phaseOf(long window, long slot) {
        if (slot >= windowSlot(window)) return AuctionPhase.FINAL;
        if (!auctioned(window)) return AuctionPhase.NOT_OPEN;
        if (slot >= finalSlot(window)) return AuctionPhase.FINAL;
        if (slot >= resolutionSlot(window)) return AuctionPhase.RESOLUTION;
        if (slot >= revealSlot(window)) return AuctionPhase.REVEAL;
        if (slot >= commitSlot(window)) return AuctionPhase.COMMIT;
        return AuctionPhase.NOT_OPEN;
    }

    /** The window that contains {@code slot}. */
    public long windowOf(long slot) {
        return Math.floorDiv(slot, slotsPerWindow);
    }

    /**
     * The window whose auction is the latest to have started by {@code slot} (its commit phase opened at or
     * before it), or -1 when none has. When the auction is longer than a window, a window's finality gap can
     * overlap the next auction's commit phase; this names the later one.
     */
    public long runningAuction(long slot) {
        long w = Math.floorDiv(slot + auctionSlots(), slotsPerWindow);
        while (w >= 0 && (!auctioned(w) || commitSlot(w) > slot)) w--;
        return w;
    }

    /**
     * The earliest window whose commit phase is open at {@code slot} and still has at least
     * {@code marginSlots} slots left, so a commit sent now lands in time.
     */
    public long nextCommitWindow(long slot, long marginSlots) {
        for (long w = Math.max(0, windowOf(slot)); ; w++) {
            if (phaseOf(w, slot) == AuctionPhase.COMMIT && revealSlot(w) - slot > marginSlots) return w;
            if (commitSlot(w) > slot) return w; // opens later; the bidder waits for it
        }
    }
}
