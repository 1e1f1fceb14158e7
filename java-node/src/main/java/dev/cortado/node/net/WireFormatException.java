package dev.cortado.node.net;

/** The single error type of the wire decoders: the input is not a valid frame or message. */
public final class WireFormatException extends RuntimeException {
    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
