package dev.cortado.node.runtime;

import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which decided heights' light-client states can be signed, and with which commitment
 * ({@link LcSigners#stateCommitment}). A handover whose next table is not known yet waits here, keyed by height
 * and bounded to the collection window behind the newest decision (older ones could no longer gather signatures),
 * and is released once the table is known; its commitment is never guessed. Pure: event thread only.
 */
final class LcStates {
    /** A state to sign, and this node's index in its epoch's table (empty: no stake there, sign nothing). */
    record Ready(LightClientState state, OptionalInt me) {
    }

    private record Decided(long view, Bytes32 blockCommRoot) {
    }

    private final LcSigners signers;
    private final int me;
    private final long window;
    private final TreeMap<Long, Decided> waiting = new TreeMap<>();
    private long tipHeight = -1;

    /** {@code me}: this node's index in the universe of peers. */
    LcStates(LcSigners signers, int me, long window) {
        this.signers = signers;
        this.me = me;
        this.window = window;
    }

    /** We decided {@code height}: its state if it can be signed now, with any earlier one that waited. */
    List<Ready> decided(long height, long view, Bytes32 blockCommRoot) {
        tipHeight = Math.max(tipHeight, height);
        waiting.put(height, new Decided(view, blockCommRoot));
        return release();
    }

    /** The states that waited for a table the source knows now (call when it learns one). */
    List<Ready> release() {
        waiting.headMap(tipHeight - window).clear();
        List<Ready> ready = new ArrayList<>();
        for (var it = waiting.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            long height = e.getKey();
            Optional<Bytes32> comm = signers.stateCommitment(height);
            if (comm.isPresent()) {
                it.remove();
                LightClientState state = new LightClientState(new View(e.getValue().view()), new Height(height),
                        e.getValue().blockCommRoot(), comm.get());
                ready.add(new Ready(state, signers.ofHeight(height).orElseThrow().position(me)));
            }
        }
        return ready;
    }

    /** Decided heights whose state waits for a table: at most one per height in the window. */
    int waiting() {
        return waiting.size();
    }
}
