package dev.cortado.lightclient.submit;

/**
 * One transaction to submit: its namespace (an unsigned 63-bit id; the wire carries 64 bits and a
 * node refuses the top bit) and its bytes. The array is not copied.
 */
public record Submission(long namespace, byte[] payload) {
    public Submission {
        if (payload == null) {
            throw new IllegalArgumentException("payload is required");
        }
    }
}
