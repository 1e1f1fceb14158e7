package dev.cortado.protocol.types;

/** A HotShot view number; views advance on every proposal or timeout. Non-negative; ordered numerically. */
public record View(long value) implements Comparable<View> {
    public static final View ZERO = new View(0);

    public View {
        if (value < 0) {
            throw new IllegalArgumentException("View must be non-negative, got " + value);
        }
    }

    public static View of(long value) {
        return new View(value);
    }

    public View next() {
        return new View(Math.addExact(value, 1));
    }

    public boolean isAfter(View other) {
        return value > other.value;
    }

    public boolean isBefore(View other) {
        return value < other.value;
    }

    @Override
    public int compareTo(View o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "View(" + value + ")";
    }
}
