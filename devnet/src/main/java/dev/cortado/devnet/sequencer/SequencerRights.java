package dev.cortado.devnet.sequencer;

import java.util.Optional;

/** Which (window, namespace) pairs a sequencer holds; the refusal names who does when it does not. */
public interface SequencerRights {
    Optional<String> refuse(long window, long namespace);
}
