package dev.cortado.protocol.cert;

/** The outcome of checking a certificate, with the reason when it fails. */
public record Verdict(Reason reason, long signedStakeGwei, long thresholdTotalGwei, String detail) {
    public enum Reason {
        VALID,
        WRONG_KIND,
        WRONG_DIGEST,
        WRONG_STAKE_TABLE,
        BITMAP_SIZE_MISMATCH,
        SIGNER_NOT_ELIGIBLE,
        INSUFFICIENT_STAKE,
        BAD_SIGNATURE
    }

    static Verdict valid(long signed, long total) {
        return new Verdict(Reason.VALID, signed, total, "ok");
    }

    static Verdict invalid(Reason reason, long signed, long total, String detail) {
        return new Verdict(reason, signed, total, detail);
    }

    public boolean isValid() {
        return reason == Reason.VALID;
    }
}
