package dev.cortado.settlement.port;

/**
 * The Ethereum slot clock: {@code slot = (t - genesisTime) / secondsPerSlot}. Auction deadlines are
 * whole slots because a contract sees only {@code block.timestamp}; the same arithmetic runs here and
 * in SequencingMarketplace.sol.
 *
 * @param genesisTimeSec the unix time at which slot 0 starts
 * @param secondsPerSlot 12 on mainnet, shorter on the devnet
 */
public record SlotClock(long genesisTimeSec, long secondsPerSlot) {
    public static final long MAINNET_SECONDS_PER_SLOT = 12;

    public SlotClock {
        if (genesisTimeSec < 0) throw new IllegalArgumentException("genesisTimeSec must be >= 0, got " + genesisTimeSec);
        if (secondsPerSlot < 1) throw new IllegalArgumentException("secondsPerSlot must be >= 1, got " + secondsPerSlot);
    }

    /** The slot that contains {@code unixTimeSec}; times before genesis have no slot. */
    public long slotAt(long unixTimeSec) {
        if (unixTimeSec < genesisTimeSec) {
            throw new IllegalArgumentException("time " + unixTimeSec + " is before the slot clock's genesis " + genesisTimeSec);
        }
        return (unixTimeSec - genesisTimeSec) / secondsPerSlot;
    }

    /** The unix time at which {@code slot} starts. */
    public long slotStartSec(long slot) {
        if (slot < 0) throw new IllegalArgumentException("slot must be >= 0, got " + slot);
        return Math.addExact(genesisTimeSec, Math.multiplyExact(slot, secondsPerSlot));
    }

    /** Milliseconds from {@code unixTimeMs} until the next slot starts. */
    public long msUntilNextSlot(long unixTimeMs) {
        long slot = slotAt(unixTimeMs / 1000);
        return slotStartSec(slot + 1) * 1000 - unixTimeMs;
    }
}
