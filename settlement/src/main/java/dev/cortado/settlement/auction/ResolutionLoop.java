package dev.cortado.settlement.auction;

import dev.cortado.settlement.auction.solver.Allocation;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives a {@link Resolver} through every poll of a window's resolution phase, not once per window: a
 * submission can fail (a timeout, a revert, an empty account) or be overtaken by another resolver's
 * allocation, and a single attempt would then leave revealed bids unsold. Each poll re-reads the chain's
 * best and submits only when the exact optimum still beats it, so a poll after our own success sends
 * nothing; once the latest block is past the phase the loop sends nothing for that window (the contract
 * would refuse it anyway). A line is logged whenever a window's outcome changes, not on every poll.
 *
 * <p>The window's bids and terms are read and solved once per phase, not per poll: reveals close before the
 * resolution phase opens and term changes apply from the first window whose auction has not started, so the
 * instance cannot change while the phase runs. Only a reorg can change it (a reveal dropped with its block),
 * and then our submission fails its simulation; a failed attempt therefore drops the solved allocation and
 * the next poll reads the window again.
 */
public final class ResolutionLoop {
    private final Resolver resolver;
    private final AuctionSchedule schedule;
    private final boolean requireGainOverGas;
    private final Consumer<String> log;
    private long window = -1;
    /** The optimum of {@link #window}'s instance as last read, null until read or after a failed attempt. */
    private Allocation solved;
    private String lastReason = "";
    private int failures;

    public ResolutionLoop(Resolver resolver, AuctionSchedule schedule, boolean requireGainOverGas, Consumer<String> log) {
        this.resolver = resolver;
        this.schedule = schedule;
        this.requireGainOverGas = requireGainOverGas;
        this.log = log;
    }

    /**
     * One poll at the latest block's {@code slot}: when the running auction is in its resolution phase, one
     * resolution attempt; otherwise (or when L1 could not be read) empty.
     */
    public Optional<Resolver.Outcome> poll(long slot) {
        if (slot < 0) return Optional.empty();
        long w = schedule.runningAuction(slot);
        if (w < 0 || schedule.phaseOf(w, slot) != AuctionPhase.RESOLUTION) return Optional.empty();
        if (w != window) {
            window = w;
            lastReason = "";
            failures = 0;
            solved = null;
        }
        Resolver.Outcome o;
        try {
            if (solved == null) solved = resolver.solve(resolver.instanceFor(w));
            o = resolver.submitIfBetter(w, solved, requireGainOverGas);
        } catch (RuntimeException e) {
            // Reading the window failed (an L1 hiccup): nothing was sent; the next poll reads again.
            String note = "could not read the window (" + Resolver.firstLine(e) + "); trying again before slot "
                    + schedule.finalSlot(w);
            if (!note.equals(lastReason)) log.accept("resolver: window " + w + " at slot " + slot + ": " + note);
            lastReason = note;
            return Optional.empty();
        }
        if (o.failed()) {
            failures++;
            solved = null;
            o = new Resolver.Outcome(o.window(), o.allocation(), o.onChainRevenueWei(), false, o.reason() + " (attempt "
                    + failures + "; trying again before slot " + schedule.finalSlot(w) + ")", o.gasEstimate(), o.gasCostWei(),
                    null);
        }
        if (o.submitted() || !o.reason().equals(lastReason)) {
            log.accept("resolver: window " + w + " at slot " + slot + ": " + o.reason());
            lastReason = o.reason();
        }
        return Optional.of(o);
    }
}
