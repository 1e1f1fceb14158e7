package dev.cortado.protocol.block;

/**
 * A rollup's namespace, a uint64 on the wire and in every hash. Java's long holds the values
 * {@code 0 .. 2^63-1}, the range the ABI codec accepts; larger ids are refused.
 */
public record NamespaceId(long value) implements Comparable<NamespaceId> {
    public NamespaceId {
        if (value < 0) {
            throw new IllegalArgumentException("namespace id must be in 0..2^63-1, got " + Long.toUnsignedString(value));
        }
    }

    public static NamespaceId of(long value) {
        return new NamespaceId(value);
    }

    @Override
    public int compareTo(NamespaceId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "ns" + value;
    }
}
