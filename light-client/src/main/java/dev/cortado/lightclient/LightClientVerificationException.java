package dev.cortado.lightclient;

/** An answer from a node failed verification: the node served something a correct node never would. */
public final class LightClientVerificationException extends RuntimeException {
    public enum Reason {
        /** The answer does not parse, lacks a field, or answers another question than asked. */
        MALFORMED_ANSWER,
        /** The state names another stake table than the one this client trusts. */
        WRONG_STAKE_TABLE,
        /** The certificate's signers hold at most 2/3 of the stake. */
        INSUFFICIENT_STAKE,
        /** The certificate fails for another reason: bad signature, wrong digest, bitmap size. */
        INVALID_CERTIFICATE,
        /** The non-signer data for L1 does not match the stake table and signer bitmap. */
        INVALID_NON_SIGNER_DATA,
        /** A header is not in the chain the certified block-commitment root covers (e.g. a fork). */
        HEADER_NOT_CERTIFIED,
        /** A namespace proof does not hold against its certified header. */
        INVALID_NAMESPACE_PROOF,
        /** A transaction proof does not hold against its certified header. */
        INVALID_TRANSACTION_PROOF,
        /** An epoch's table does not come with a handover its outgoing table signed (or the handover names another table). */
        INVALID_HANDOVER,
        /** The state's epoch is one this client has not followed (yet) or has forgotten; not a lie by itself. */
        EPOCH_NOT_FOLLOWED
    }

    private final Reason reason;

    public LightClientVerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public LightClientVerificationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
