package dev.cortado.node.runtime;

import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.util.Map;

/**
 * A test's marketplace: the same registered rollups and winners in every window (of the clock's length), known at
 * every L1 block up to {@code followed} and not yet seen beyond it. A replica given an empty one sees every
 * namespace as open.
 */
record FixedMarketState(long followed, MarketClock clock, Map<Long, Address> defaultSequencers,
                        Map<Long, Address> winners) implements MarketState {
    static final long SLOTS_PER_WINDOW = 1_000;
    static final long CHAIN_ID = 31337;
    static final Address MARKETPLACE = Address.fromHex("0x00000000000000000000000000000000000000aa");
    static final Address WINNER = Address.fromHex("0x00000000000000000000000000000000000000b1");
    static final Address DEFAULT = Address.fromHex("0x00000000000000000000000000000000000000d1");

    /** Namespace {@code sold} sold to {@link #WINNER}; window 0 starts at {@code genesisSec} with 12 s slots. */
    static FixedMarketState soldNamespace(long sold, long followed, long genesisSec) {
        return new FixedMarketState(followed, new MarketClock(new SlotClock(genesisSec, 12), SLOTS_PER_WINDOW, 3, 10),
                Map.of(sold, DEFAULT), Map.of(sold, WINNER));
    }

    /** Nothing registered: every namespace open. */
    static FixedMarketState open(long followed, long genesisSec) {
        return new FixedMarketState(followed, new MarketClock(new SlotClock(genesisSec, 12), SLOTS_PER_WINDOW, 3, 10),
                Map.of(), Map.of());
    }

    @Override
    public long followedBlock() {
        return followed;
    }

    @Override
    public MarketAnswer windowAt(long window, long l1Block) {
        if (l1Block > followed) {
            return new MarketAnswer.NotYetSeen(l1Block, followed);
        }
        if (l1Block == 0) {
            return new MarketAnswer.Unavailable("L1 block 0 is before the marketplace's deployment");
        }
        return new MarketAnswer.Known(new MarketWindow(window, clock.slotsPerWindow(), defaultSequencers, winners), true);
    }
}
