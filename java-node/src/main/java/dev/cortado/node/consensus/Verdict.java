package dev.cortado.node.consensus;

/**
 * The outcome of validating one input, with the reason. Accept: it changed state. Ignore: harmless but
 * useless (stale, duplicate, not for us, over a buffer bound). Reject: provably invalid or malicious.
 * Defer: valid so far but waiting for something (a future view, a missing parent leaf).
 */
public sealed interface Verdict {
    String reason();

    record Accept(String reason) implements Verdict {
    }

    record Ignore(String reason) implements Verdict {
    }

    record Reject(String reason) implements Verdict {
    }

    record Defer(String reason) implements Verdict {
    }
}
