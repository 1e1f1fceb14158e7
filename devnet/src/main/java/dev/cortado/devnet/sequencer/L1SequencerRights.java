package dev.cortado.devnet.sequencer;

import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.MarketplaceL1;
import dev.cortado.settlement.port.WindowState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A sequencer's rights read from the marketplace at the same confirmation depth the nodes use, so it never
 * pre-confirms for a namespace the nodes would not let it sequence. A namespace is held when the window's final
 * result names this sequencer, or when it is this sequencer's unsold rollup (also while the result is not yet
 * final at the depth: the nodes then give it to the default sequencer). Each window's state is re-read at most
 * every {@code refreshMs}.
 */
public final class L1SequencerRights implements SequencerRights, FallbackRights.Holders {
    private final L1Client l1;
    private final MarketplaceL1 market;
    private final Address self;
    private final int confirmations;
    private final long refreshMs;
    private final Map<Long, Cached> cache = new HashMap<>();

    private record Cached(WindowState state, long readAtMs) {
    }

    public L1SequencerRights(L1Client l1, MarketplaceL1 market, Address self, int confirmations, long refreshMs) {
        this.l1 = l1;
        this.market = market;
        this.self = self;
        this.confirmations = confirmations;
        this.refreshMs = refreshMs;
    }

    private WindowState stateOf(long window) {
        long now = System.currentTimeMillis();
        Cached c = cache.get(window);
        if (c == null || now - c.readAtMs() > refreshMs) {
            long block = Math.max(0, l1.latestHead().number() - confirmations);
            c = new Cached(market.windowAt(block, window), now);
            cache.put(window, c);
            cache.keySet().removeIf(w -> w < window - 1);
        }
        return c.state();
    }

    @Override
    public synchronized Optional<FallbackRights.Holding> holding(long window, long namespace) {
        WindowState s = stateOf(window);
        return s.rollups().stream().filter(r -> r.namespace() == namespace).findFirst().map(r -> new FallbackRights.Holding(
                s.winners().getOrDefault(namespace, r.defaultSequencer()), r.defaultSequencer()));
    }

    @Override
    public synchronized Optional<String> refuse(long window, long namespace) {
        WindowState s = stateOf(window);
        Optional<WindowState.Rollup> rollup = s.rollups().stream().filter(r -> r.namespace() == namespace).findFirst();
        if (rollup.isEmpty()) {
            return Optional.of("namespace " + Long.toUnsignedString(namespace) + " is not registered in window " + window
                    + ": it is open to anyone, no sequencer needed");
        }
        Address holder = s.winners().getOrDefault(namespace, rollup.get().defaultSequencer());
        if (!holder.equals(self)) {
            return Optional.of("namespace " + Long.toUnsignedString(namespace) + " in window " + window + " belongs to "
                    + holder.toHex() + ", not to this sequencer (" + self.toHex() + ")");
        }
        return Optional.empty();
    }
}
