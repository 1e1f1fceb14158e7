package dev.cortado.lightclient;

/** A node could not be asked or had no answer (connection error, timeout, HTTP error status). */
public final class NodeUnavailableException extends RuntimeException {
    private final int httpStatus;

    public NodeUnavailableException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }
}
