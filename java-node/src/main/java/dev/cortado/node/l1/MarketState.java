package dev.cortado.node.l1;

import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.market.WindowActivity;
import java.util.Optional;

/**
 * The marketplace as the block pipeline and the mempool see it: answers are a function of (window, L1 block)
 * only, read at the confirmation depth, so every replica that has followed that block gives the same answer.
 */
public interface MarketState {
    /** The highest L1 block followed so far (at the confirmation depth), or -1 before the first. */
    long followedBlock();

    /**
     * Asks for a poll of the L1 as soon as possible, because a peer's block names an L1 block this state has not
     * followed yet. Any thread, returns at once; a state that is not polled ignores it.
     */
    default void pollSoon() {
    }

    /** How often this state is polled, or 0 when it is not polled (it moves only when told). */
    default long pollIntervalMs() {
        return 0;
    }

    /**
     * Runs {@code listener} after every poll that moved {@link #followedBlock} up, on the polling thread, so a
     * waiting reader need not poll the state itself. A state that never moves never runs it.
     */
    default void onAdvance(Runnable listener) {
    }

    /** The marketplace's record of {@code window} as of L1 block {@code l1Block}. */
    MarketAnswer windowAt(long window, long l1Block);

    /** The marketplace's slot clock and window length. */
    dev.cortado.settlement.port.MarketClock clock();

    /** The window a unix time falls in on the marketplace's slot clock, or -1 before its genesis. */
    default long windowAtTime(long unixTimeSec) {
        return clock().windowAt(unixTimeSec);
    }

    /**
     * Who may sequence {@code namespace} in {@code window} at {@code l1Block}, given the window's activity so
     * far; empty (with the reason in {@link #windowAt}) when the state is not known at that block.
     */
    default Optional<SequencingRight> rightOf(long namespace, long window, long l1Block, WindowActivity activity) {
        return windowAt(window, l1Block) instanceof MarketAnswer.Known k
                ? Optional.of(k.market().rightOf(namespace, activity)) : Optional.empty();
    }
}
