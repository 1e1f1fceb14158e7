package dev.cortado.settlement.auction;

/** The marketplace refused a call; the message names the call and the decoded custom error. */
public final class MarketplaceRevertException extends RuntimeException {
    private final String error;

    public MarketplaceRevertException(String call, String error) {
        super(call + " reverted: " + error);
        this.error = error;
    }

    /** The decoded error, e.g. {@code SequencingMarketplace__WrongPhase(1, 2, 3)}. */
    public String error() {
        return error;
    }
}
