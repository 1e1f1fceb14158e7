package dev.cortado.settlement.batch.codec;

/** A batch that does not decode within its bounds; the message names the failing value. */
public final class BatchDecodeException extends RuntimeException {
    public BatchDecodeException(String message) {
        super(message);
    }

    public BatchDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
