package dev.cortado.protocol.types;

/** An L1 auction slot number. Non-negative; ordered numerically. */
public record Slot(long value) implements Comparable<Slot> {
    public static final Slot ZERO = new Slot(0);

    public Slot {
        if (value < 0) {
            throw new IllegalArgumentException("Slot must be non-negative, got " + value);
        }
    }

    public static Slot of(long value) {
        return new Slot(value);
    }

    public Slot next() {
        return new Slot(Math.addExact(value, 1));
    }

    public boolean isAfter(Slot other) {
        return value > other.value;
    }

    public boolean isBefore(Slot other) {
        return value < other.value;
    }

    @Override
    public int compareTo(Slot o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "Slot(" + value + ")";
    }
}
