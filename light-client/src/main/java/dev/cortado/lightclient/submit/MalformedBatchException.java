package dev.cortado.lightclient.submit;

/** A binary submission body that does not follow {@link BinaryBatch}'s layout; the message says where. */
public final class MalformedBatchException extends Exception {
    public MalformedBatchException(String message) {
        super(message, null, false, false);
    }
}
