package dev.cortado.settlement.auction;

/** SequencingMarketplace.Phase, in the contract's order (the ordinal is the ABI value). */
public enum AuctionPhase {
    NOT_OPEN, COMMIT, REVEAL, RESOLUTION, FINAL;

    /** The phase of the contract's {@code uint8} enum value. */
    public static AuctionPhase ofAbi(int value) {
        if (value < 0 || value >= values().length) {
            throw new IllegalArgumentException("SequencingMarketplace.Phase has no value " + value);
        }
        return values()[value];
    }
}
