package dev.cortado.node.runtime;

import dev.cortado.protocol.types.Bytes32;
import java.util.HashMap;
import java.util.Map;

/**
 * Blocks built or received and checked, by header commitment, until decided. Entries leave when their
 * height is decided and when their view falls out of the retained window, so neither a proposal at a
 * huge height nor a long run of undecided views can grow it: it holds at most one block per view of
 * the window (the proposal screen checks one per view) plus the blocks fetched as ancestors.
 */
final class PendingBlocks {
    /** Blocks of views this far below the current view leave (an ancestor still needed is fetched again). */
    static final long RETAIN_VIEWS = 256;

    private final Map<Bytes32, KnownBlock> byCommitment = new HashMap<>();
    private long currentView;

    KnownBlock get(Bytes32 commitment) {
        return byCommitment.get(commitment);
    }

    boolean contains(Bytes32 commitment) {
        return byCommitment.containsKey(commitment);
    }

    /** Keeps {@code b} unless its view is already out of the window; a full block is never replaced by its header. */
    void put(KnownBlock b) {
        if (b.header().view().value() >= currentView - RETAIN_VIEWS
                && !(b instanceof KnownBlock.HeaderOnly && byCommitment.get(b.commitment()) instanceof KnownBlock.Full)) {
            byCommitment.put(b.commitment(), b);
        }
    }

    /** The block with this commitment if this node holds its payload. */
    java.util.Optional<KnownBlock.Full> full(Bytes32 commitment) {
        return byCommitment.get(commitment) instanceof KnownBlock.Full f ? java.util.Optional.of(f) : java.util.Optional.empty();
    }

    /** Height {@code h} was decided: it and every block below it leave. */
    void decided(long h) {
        byCommitment.values().removeIf(p -> p.header().height().value() <= h);
    }

    /** The core entered {@code view}. */
    void viewIs(long view) {
        if (view <= currentView) {
            return;
        }
        currentView = view;
        byCommitment.values().removeIf(p -> p.header().view().value() < currentView - RETAIN_VIEWS);
    }

    int size() {
        return byCommitment.size();
    }
}
