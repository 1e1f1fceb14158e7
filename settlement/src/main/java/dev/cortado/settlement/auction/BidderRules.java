package dev.cortado.settlement.auction;

/**
 * What the bidder does next with one journal entry, given its window's phase at the L1's latest
 * block. Pure: the driver ({@link Bidder}) does the I/O. {@code slotsLeftInPhase} lets the bidder
 * skip a commit or reveal that would land after its phase ends (the transaction is mined in a later
 * block than the one the phase was read from).
 */
public final class BidderRules {
    private BidderRules() {}

    public sealed interface Action {
        record Wait() implements Action {}

        /** Sign the commit (the hash goes to the journal first), send it, record the bid id. */
        record Commit() implements Action {}

        /** Find out whether the signed commit reached L1 (receipt, else resend or give up). */
        record CheckCommit() implements Action {}

        record Reveal() implements Action {}

        record Settle() implements Action {}

        /** Mark the entry abandoned: nothing of it is (or will be) locked on L1. */
        record Abandon(String reason) implements Action {}

        record Nothing() implements Action {}
    }

    public static Action next(PendingBid bid, AuctionPhase phase, long slotsLeftInPhase) {
        return switch (bid.stage()) {
            case SETTLED, ABANDONED -> new Action.Nothing();
            case PREPARED -> switch (phase) {
                case NOT_OPEN -> new Action.Wait();
                case COMMIT -> slotsLeftInPhase >= 1 ? new Action.Commit()
                        : new Action.Abandon("the commit phase of window " + bid.window() + " ended before the commit was sent");
                default -> new Action.Abandon("the commit phase of window " + bid.window() + " is over; nothing was sent");
            };
            case COMMIT_SENT -> new Action.CheckCommit();
            case COMMITTED -> switch (phase) {
                case NOT_OPEN, COMMIT -> new Action.Wait();
                case REVEAL -> new Action.Reveal();
                // Missed the reveal (the bidder was down through it): the forfeit is taken at settlement.
                case RESOLUTION -> new Action.Wait();
                case FINAL -> new Action.Settle();
            };
            case REVEALED -> phase == AuctionPhase.FINAL ? new Action.Settle() : new Action.Wait();
        };
    }
}
