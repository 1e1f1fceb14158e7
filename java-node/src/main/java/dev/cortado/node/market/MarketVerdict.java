package dev.cortado.node.market;

/** The marketplace rules' answer for one block. */
public sealed interface MarketVerdict {
    /** The block keeps every namespace's right; {@code next} is the window's state after it. */
    record Valid(WindowActivity next) implements MarketVerdict {
    }

    /** The leader broke a right; the block must be rejected, and {@code reason} says which rule. */
    record Invalid(String reason) implements MarketVerdict {
    }
}
