package dev.cortado.protocol.types;

/** A block height; the genesis block has height 0. Non-negative; ordered numerically. */
public record Height(long value) implements Comparable<Height> {
    public static final Height ZERO = new Height(0);

    public Height {
        if (value < 0) {
            throw new IllegalArgumentException("Height must be non-negative, got " + value);
        }
    }

    public static Height of(long value) {
        return new Height(value);
    }

    public Height next() {
        return new Height(Math.addExact(value, 1));
    }

    public boolean isAfter(Height other) {
        return value > other.value;
    }

    public boolean isBefore(Height other) {
        return value < other.value;
    }

    @Override
    public int compareTo(Height o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "Height(" + value + ")";
    }
}
