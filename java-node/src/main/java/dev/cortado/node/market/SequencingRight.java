package dev.cortado.node.market;

import dev.cortado.protocol.types.Address;

/** Who may put transactions of one namespace into a block of one window. */
public sealed interface SequencingRight {
    /** An unregistered namespace: anyone, with or without a bundle. */
    record Open() implements SequencingRight {
    }

    /** Only bundles signed by {@code sequencer}; {@code reason} says why it holds the right. */
    record Restricted(Address sequencer, Reason reason) implements SequencingRight {
    }

    enum Reason {
        /** The window's auction winner. */
        SOLD,
        /** Nobody won the namespace: its rollup's default sequencer. */
        UNSOLD,
        /** The winner stayed silent too long in its window; the default sequencer took over. */
        FALLBACK
    }
}
