package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.types.Address;
import java.util.Optional;

/**
 * A sequencer's rights with the silence fallback, on both sides of it. L1 ({@code base}, {@code holders}) says who
 * holds each rollup in a window; what L1 cannot say is that the nodes' silence rule has handed a silent winner's
 * rollup to its default sequencer for the rest of the window. Only decided blocks decide that, and a fallen winner
 * stays fallen for its window, so once {@link Fallen} reports it:
 * <ul>
 *   <li>the default sequencer pre-confirms in the rollup: every later block of the window takes its bundles;</li>
 *   <li>the winner stops pre-confirming there, since no block would take its bundles any more.</li>
 * </ul>
 * One class serves {@code cortado sequencer} (a majority of the nodes' status reports) and the devnet's demo
 * sequencers (the nodes' rights the story already polls), so both sides follow the same rule.
 */
public final class FallbackRights implements SequencerRights {
    /** Who holds a registered rollup in a window on L1: the winner (or the default when unsold) and its default. */
    public record Holding(Address holder, Address defaultSequencer) {
    }

    /** The L1 side: who holds each registered rollup; empty for an unregistered one. */
    public interface Holders {
        Optional<Holding> holding(long window, long namespace);
    }

    /** The nodes' side: whether the decided chain shows {@code winner} of {@code namespace} silent in {@code window}. */
    public interface Fallen {
        boolean fallen(long window, long namespace, Address winner);
    }

    private final SequencerRights base;
    private final Holders holders;
    private final Address self;
    private final Fallen fallen;

    public FallbackRights(SequencerRights base, Holders holders, Address self, Fallen fallen) {
        this.base = base;
        this.holders = holders;
        this.self = self;
        this.fallen = fallen;
    }

    @Override
    public Optional<String> refuse(long window, long namespace) {
        Optional<Holding> h = holders.holding(window, namespace);
        if (h.isEmpty() || h.get().holder().equals(h.get().defaultSequencer())) return base.refuse(window, namespace);
        Address winner = h.get().holder();
        Address fallback = h.get().defaultSequencer();
        if (winner.equals(self)) {
            if (!fallen.fallen(window, namespace, winner)) return base.refuse(window, namespace);
            return Optional.of("namespace " + Long.toUnsignedString(namespace) + " in window " + window
                    + " fell back to its default sequencer " + fallback.toHex() + " (the nodes' silence rule); "
                    + self.toHex() + " no longer holds it");
        }
        Optional<String> refusal = base.refuse(window, namespace);
        if (refusal.isEmpty() || !fallback.equals(self)) return refusal;
        if (fallen.fallen(window, namespace, winner)) return Optional.empty();
        return Optional.of(refusal.get() + "; this sequencer takes it over only once the chain shows "
                + winner.toHex() + " silent in window " + window);
    }
}
