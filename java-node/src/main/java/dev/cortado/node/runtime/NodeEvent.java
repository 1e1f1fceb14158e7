package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.net.PeerKey;
import dev.cortado.protocol.types.View;

/** What the node's event thread consumes from its bounded queue. */
sealed interface NodeEvent {
  record Net(PeerKey from, byte[] payload) implements NodeEvent {}

  record TimerFired(View view) implements NodeEvent {}

  /** A delayed block build (the leader waited for transactions). */
  record BuildNow(View view, Leaf parent) implements NodeEvent {}

  /** Periodic housekeeping: catch-up checks, pruning. */
  record Tick() implements NodeEvent {}
}
