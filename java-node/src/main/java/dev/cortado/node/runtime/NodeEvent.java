package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.net.PeerKey;
import dev.cortado.protocol.types.View;

/** What the node's event thread consumes from its bounded queue. */
sealed interface NodeEvent {
    /** A peer's message; {@code queuedAtNanos} ({@link System#nanoTime}) measures its wait in the queue. */
    record Net(PeerKey from, byte[] payload, long queuedAtNanos) implements NodeEvent {}

    record TimerFired(View view) implements NodeEvent {}

    /** A delayed block build: the leader polls for transactions until {@code deadlineMs}. */
    record BuildNow(View view, Leaf parent, long deadlineMs) implements NodeEvent {}

    /** A block check finished on a check worker ({@link BlockCheckWorkers}): its outcome goes to the pipeline now. */
    record BlockChecked(BlockCheckWorkers.Done done) implements NodeEvent {}

    /** The L1 follower followed a new block: proposals waiting for it can be re-checked. */
    record L1Moved() implements NodeEvent {}

    /** Periodic housekeeping: catch-up checks, pruning. */
    record Tick() implements NodeEvent {}

    /** Test hook ({@link CortadoNode#wipePayloads}): delete every payload between two events, then complete {@code done}. */
    record WipePayloads(java.util.concurrent.CompletableFuture<Void> done) implements NodeEvent {}
}
