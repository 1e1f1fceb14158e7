package dev.cortado.protocol.epoch;

/** A handover certificate that a correct network never produces; the reason says which rule it breaks. */
public final class HandoverException extends Exception {
    public enum Reason {
        /** The certified state is not the last block of the outgoing epoch. */
        WRONG_HEIGHT,
        /** The certified state names another table than the one offered as the next. */
        WRONG_NEXT_TABLE,
        /** The outgoing table did not sign it (signers, stake or signature fail). */
        NOT_SIGNED_BY_OUTGOING,
        /** The handover is not for the epoch right after the newest known one. */
        OUT_OF_ORDER
    }

    private final Reason reason;

    public HandoverException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
