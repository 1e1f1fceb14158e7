package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;

/** One state change of a core (view, safety state, proposal, decision) and why it happened. */
public record Transition(long atMs, View view, String change, String reason) {
}
