package dev.cortado.node.runtime;

import dev.cortado.node.storage.SafetyState;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The durable writes of the core's safety state, made on the event thread before the effect that follows them. A
 * state byte-for-byte equal to the last one written is already on disk and is not synced again: a leader persists
 * (view, lock) when it proposes and the core asks for the same state right before the leader's own vote, and that
 * second fsync sat on the path of one of the quorum's votes in every view. Only this class writes the state, so
 * the last write is what the disk holds.
 */
final class SafetyWrites {
    private final Consumer<SafetyState> durableWrite;
    private long lastView = -1;
    private byte[] lastWritten;

    /** {@code onDisk} is the state read at start, or null when there is none. */
    SafetyWrites(Consumer<SafetyState> durableWrite, SafetyState onDisk) {
        this.durableWrite = durableWrite;
        if (onDisk != null) {
            this.lastView = onDisk.highestVotedView();
            this.lastWritten = onDisk.coreState().clone();
        }
    }

    /** Returns once {@code state} is durable; false when it already was (nothing written). */
    boolean persist(SafetyState state) {
        if (lastWritten != null && lastView == state.highestVotedView() && Arrays.equals(lastWritten, state.coreState())) {
            return false;
        }
        durableWrite.accept(state);
        lastView = state.highestVotedView();
        lastWritten = state.coreState().clone();
        return true;
    }
}
