package dev.cortado.devnet.run;

import dev.cortado.devnet.sequencer.SequencerRights;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A sequencer's rights as L1 records them, plus what L1 cannot say: that the nodes' silence rule has handed a silent
 * winner's rollup to its default sequencer for the rest of the window. That part comes only from the nodes' own
 * report (the rights in their status, after the decided tip), so a default sequencer pre-confirms in a fallen rollup
 * once the network enforces the fallback, and the silent winner stops promising what the nodes would no longer take.
 */
final class FallbackAwareRights implements SequencerRights {
    private final SequencerRights l1;
    private final String self;
    private final Supplier<StorySnapshot.NetworkRights> nodes;

    FallbackAwareRights(SequencerRights l1, String selfAddress, Supplier<StorySnapshot.NetworkRights> nodes) {
        this.l1 = l1;
        this.self = selfAddress.toLowerCase(Locale.ROOT);
        this.nodes = nodes;
    }

    @Override
    public Optional<String> refuse(long window, long namespace) {
        StorySnapshot.NetworkRights r = nodes.get();
        StorySnapshot.NamespaceRight n = r == null ? null : r.in(window, namespace);
        if (n == null || !n.fallback()) return l1.refuse(window, namespace);
        if (n.holderAddress().equals(self)) return Optional.empty();
        return Optional.of("namespace " + Long.toUnsignedString(namespace) + " in window " + window
                + " fell back to its default sequencer " + n.holderAddress() + " (the nodes' silence rule), not to " + self);
    }
}
