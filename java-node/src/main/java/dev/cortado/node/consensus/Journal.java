package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.List;

/** What a core remembers about itself: the recent state changes with their reasons, and the evidence. */
final class Journal {
    private static final int MAX_TRANSITIONS = 128;
    private static final int MAX_EVIDENCE = 1_024;

    private final ArrayDeque<Transition> transitions = new ArrayDeque<>();
    private final ArrayDeque<Evidence> evidence = new ArrayDeque<>();

    void record(long atMs, View view, String change, String reason) {
        if (transitions.size() == MAX_TRANSITIONS) {
            transitions.removeFirst();
        }
        transitions.addLast(new Transition(atMs, view, change, reason));
    }

    /** Keeps the newest {@value #MAX_EVIDENCE} pieces of evidence. */
    void keep(Evidence e) {
        if (evidence.size() == MAX_EVIDENCE) {
            evidence.removeFirst();
        }
        evidence.addLast(e);
    }

    List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    List<Evidence> evidence() {
        return List.copyOf(evidence);
    }
}
