package dev.cortado.node.l1;

import dev.cortado.node.market.MarketWindow;

/** The follower's answer to "what did the marketplace record for window w at L1 block b". */
public sealed interface MarketAnswer {
    /**
     * The state at that block.
     *
     * @param resultFinal whether the window's result was final at that L1 block (the marketplace makes it final
     *                    a finality gap before the window opens); before that its registered rollups belong to
     *                    their default sequencers ({@code market.winners()} is empty)
     */
    record Known(MarketWindow market, boolean resultFinal) implements MarketAnswer {
    }

    /** This node has not yet followed block {@code l1Block} at the confirmation depth: defer, do not reject. */
    record NotYetSeen(long l1Block, long followedBlock) implements MarketAnswer {
    }

    /** The block or window is outside what the follower keeps (pruned, or never tracked at that block). */
    record Unavailable(String reason) implements MarketAnswer {
    }
}
