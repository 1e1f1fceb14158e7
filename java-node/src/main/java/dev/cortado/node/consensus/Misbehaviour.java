package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts what peers did wrong, by kind, and rations the crypto spent on peers that already sent something
 * provably invalid. State is one slot per stake-table index (the transport authenticates {@code from}, so a
 * peer cannot choose whose budget it spends) and the budget is per local view (which a peer cannot choose
 * either). An honest peer never sends an invalid signature or certificate, so it never hits the ration.
 */
public final class Misbehaviour {
    public enum Kind {
        /** Relayed another replica's message, or named a voter outside the stake table. */
        WRONG_ORIGIN,
        /** A message for a view outside the window this replica accepts. */
        OUT_OF_WINDOW,
        /** A message this replica already counted. */
        DUPLICATE,
        INVALID_SIGNATURE,
        INVALID_CERTIFICATE,
        EQUIVOCATION,
        /** Dropped unverified because its sender had used up its ration for the current view. */
        OVER_BUDGET
    }

    private final long[] totals = new long[Kind.values().length];
    private final int[] strikes;
    private final long[] rationedView;

    public Misbehaviour(int senders) {
        this.strikes = new int[senders];
        this.rationedView = new long[senders];
        Arrays.fill(rationedView, -1);
    }

    public void note(Kind kind) {
        totals[kind.ordinal()]++;
    }

    /**
     * Notes a provably invalid message of {@code sender}: from now on its crypto is rationed, and the check
     * that caught it used up the ration of {@code currentView}.
     */
    public void strike(int sender, Kind kind, View currentView) {
        note(kind);
        if (sender >= 0 && sender < strikes.length) {
            strikes[sender] = Math.min(Integer.MAX_VALUE - 1, strikes[sender]) + 1;
            rationedView[sender] = currentView.value();
        }
    }

    /**
     * Whether a message of {@code sender} may cost signature or certificate checks now. A struck sender gets
     * one such message per view the replica is in; the rest are dropped and counted.
     */
    public boolean mayVerify(int sender, View currentView) {
        if (sender < 0 || sender >= strikes.length || strikes[sender] == 0) {
            return true;
        }
        if (rationedView[sender] == currentView.value()) {
            note(Kind.OVER_BUDGET);
            return false;
        }
        rationedView[sender] = currentView.value();
        return true;
    }

    public int strikes(int sender) {
        return strikes[sender];
    }

    public long count(Kind kind) {
        return totals[kind.ordinal()];
    }

    /** Totals by kind, for the runtime's metrics. */
    public Map<Kind, Long> snapshot() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, totals[k.ordinal()]);
        }
        return Collections.unmodifiableMap(m);
    }
}
