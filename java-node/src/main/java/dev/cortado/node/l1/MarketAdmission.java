package dev.cortado.node.l1;

import dev.cortado.node.api.MarketGate;
import dev.cortado.node.market.BlockMarketRules;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleCodec;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The window rule at submission, read from the follower at its latest followed L1 block and the current slot
 * of the wall clock. A loose transaction may enter only an unregistered namespace. A bundle must be for this
 * network (chain id and marketplace), for the current or the next window, unexpired, and signed by a holder of
 * every restricted namespace it touches: the winner, or the default sequencer (which holds unsold namespaces
 * and takes sold ones over if the winner falls silent; the block pipeline decides that from chain data).
 * Cheap checks run first; signature recovery last.
 */
public final class MarketAdmission implements MarketGate {
    private static final int FORBIDDEN = 403;
    private static final int BAD_REQUEST = 400;
    private static final int UNAVAILABLE = 503;
    private static final int TOO_MANY = 429;

    private final MarketState market;
    private final long l1ChainId;
    private final Address marketplace;
    private final LongSupplier nowMs;
    private final BundlePool pool;

    public MarketAdmission(MarketState market, long l1ChainId, Address marketplace, LongSupplier nowMs, BundlePool pool) {
        this.market = market;
        this.l1ChainId = l1ChainId;
        this.marketplace = marketplace;
        this.nowMs = nowMs;
        this.pool = pool;
    }

    public BundlePool pool() {
        return pool;
    }

    private long currentSlot() {
        return market.clock().slots().slotAt(nowMs.getAsLong() / 1000);
    }

    /** The window's state now, or the refusal that says why it is not known. */
    private Object stateOf(long window) {
        long followed = market.followedBlock();
        if (followed < 0) return new Refusal(UNAVAILABLE, "market_unknown", "this node has not followed L1 yet");
        return switch (market.windowAt(window, followed)) {
            case MarketAnswer.Known k -> k.market();
            case MarketAnswer.NotYetSeen n -> new Refusal(UNAVAILABLE, "market_unknown", "L1 block " + n.l1Block()
                    + " not followed yet");
            case MarketAnswer.Unavailable u -> new Refusal(UNAVAILABLE, "market_unknown", u.reason());
        };
    }

    @Override
    public Optional<Refusal> refuseLoose(long namespace) {
        long window = market.windowAtTime(nowMs.getAsLong() / 1000);
        if (window < 0) return Optional.empty();
        Object state = stateOf(window);
        if (state instanceof Refusal r) return Optional.of(r);
        MarketWindow w = (MarketWindow) state;
        return BlockMarketRules.refuseLoose(w, WindowActivity.start(w, 1), namespace)
                .map(reason -> new Refusal(FORBIDDEN, "namespace_restricted", reason));
    }

    @Override
    public BundleResult submitBundle(byte[] body) {
        SignedBundle sb;
        try {
            sb = BundleCodec.decode(body);
        } catch (IllegalArgumentException e) {
            return refuse(BAD_REQUEST, "malformed_bundle", e.getMessage());
        }
        Bundle b = sb.bundle();
        if (b.chainId() != l1ChainId || !b.marketplace().equals(marketplace)) {
            return refuse(BAD_REQUEST, "wrong_domain", "bundle is for chain " + b.chainId() + " and marketplace "
                    + b.marketplace().toHex() + "; this network is chain " + l1ChainId + ", marketplace " + marketplace.toHex());
        }
        long now = market.windowAtTime(nowMs.getAsLong() / 1000);
        if (now < 0) return refuse(UNAVAILABLE, "market_unknown", "the marketplace's slot clock has not started");
        if (b.window() != now && b.window() != now + 1) {
            return refuse(BAD_REQUEST, "wrong_window", "bundle is for window " + b.window() + "; this node takes windows "
                    + now + " and " + (now + 1));
        }
        long slot = currentSlot();
        if (b.expirySlot() < slot) {
            return refuse(BAD_REQUEST, "bundle_expired", "bundle expired at slot " + b.expirySlot() + ", now slot " + slot);
        }
        Object state = stateOf(b.window());
        if (state instanceof Refusal r) return new BundleRefused(r);
        MarketWindow w = (MarketWindow) state;
        Optional<Address> signer = sb.signer();
        if (signer.isEmpty()) return refuse(BAD_REQUEST, "bad_signature", "bundle signature is malformed or not low-s");
        WindowActivity fresh = WindowActivity.start(w, 1);
        for (long ns : b.namespaces()) {
            if (w.rightOf(ns, fresh) instanceof SequencingRight.Restricted r && !r.sequencer().equals(signer.get())
                    && !signer.get().equals(w.defaultSequencers().get(ns))) {
                return refuse(FORBIDDEN, "not_right_holder", "bundle signed by " + signer.get().toHex() + " touches namespace "
                        + Long.toUnsignedString(ns) + ", which is " + r.reason().name().toLowerCase() + " to "
                        + r.sequencer().toHex() + " in window " + b.window());
            }
        }
        return switch (pool.add(sb, signer.get(), body.length)) {
            case ADDED -> accepted(sb, signer.get(), false);
            case DUPLICATE -> accepted(sb, signer.get(), true);
            case SEQUENCE_TAKEN -> refuse(BAD_REQUEST, "sequence_taken", signer.get().toHex() + " already has another bundle"
                    + " with sequence " + b.sequence() + " in window " + b.window());
            case SIGNER_FULL -> refuse(TOO_MANY, "signer_full", signer.get().toHex() + " has too many pending bundles");
            case POOL_FULL -> refuse(TOO_MANY, "bundle_pool_full", "the bundle pool is full (" + pool.size() + " bundles, "
                    + pool.bytes() + " bytes)");
        };
    }

    private static BundleResult accepted(SignedBundle sb, Address signer, boolean duplicate) {
        return new BundleAccepted(sb.id().toHex(), signer.toHex(), sb.bundle().window(), sb.bundle().sequence(), duplicate);
    }

    private static BundleResult refuse(int status, String error, String detail) {
        return new BundleRefused(new Refusal(status, error, detail));
    }
}
