package dev.cortado.node.api;

/**
 * A read of a decided block whose payload this node neither holds nor could get back (from the DA committee or
 * from VID shares). Answered 503 {@code payload_unavailable}, not 404: the block exists and the same read may
 * succeed once enough peers answer, so a client should retry rather than conclude there is no such block.
 */
public final class PayloadUnavailable extends RuntimeException {
    public PayloadUnavailable(String detail) {
        super(detail, null, false, false);
    }
}
