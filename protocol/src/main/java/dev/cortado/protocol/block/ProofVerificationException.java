package dev.cortado.protocol.block;

/** A namespace, transaction or header proof does not hold; the message says which check failed. */
public final class ProofVerificationException extends RuntimeException {
    public ProofVerificationException(String message) {
        super(message);
    }

    public ProofVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
