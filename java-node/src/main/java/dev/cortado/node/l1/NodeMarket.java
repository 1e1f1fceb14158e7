package dev.cortado.node.l1;

import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.market.BundlePool;
import dev.cortado.protocol.types.Address;
import java.nio.file.Path;

/**
 * Attaches the marketplace to a running node: starts the L1 follower (state in {@code <dataDir>.l1}) and installs
 * the admission check and bundle endpoint on the node's API. The caller then makes the node enforce the
 * marketplace in blocks ({@code CortadoNode.followL1}) and build from {@link #bundles()} and gossip what
 * {@link #admission()} admits ({@code CortadoNode.takeBundles}).
 */
public final class NodeMarket implements AutoCloseable {
    /** Bounds of the bundle pool: per signer, in total, and in bytes. */
    public static final int MAX_BUNDLES_PER_SIGNER = 1_024;
    public static final int MAX_BUNDLES = 16_384;
    public static final long MAX_BUNDLE_BYTES = 64L << 20;

    private final L1FollowerService follower;
    private final MarketAdmission admission;

    private NodeMarket(L1FollowerService follower, MarketAdmission admission) {
        this.follower = follower;
        this.admission = admission;
    }

    public static NodeMarket attach(HttpApiServer api, L1Settings settings, Path dataDir) {
        return attach(api, L1FollowerService.open(settings, dataDir).start());
    }

    /**
     * As above with a follower already open and started, as a node with epochs needs: its stake tables read the
     * follower, so the follower exists before the node. The market closes it.
     */
    public static NodeMarket attach(HttpApiServer api, L1FollowerService follower) {
        L1Settings settings = follower.settings();
        MarketAdmission admission = new MarketAdmission(follower.follower(), settings.chainId(),
                Address.fromHex(settings.marketplace()), System::currentTimeMillis,
                new BundlePool(MAX_BUNDLES_PER_SIGNER, MAX_BUNDLES, MAX_BUNDLE_BYTES));
        api.marketGate(admission);
        api.confirmations(new MarketConfirmations(admission.pool(), follower.follower()::lightClientOnL1));
        return new NodeMarket(follower, admission);
    }

    /** The admission check (loose transactions and bundles), as installed on the API. */
    public dev.cortado.node.api.MarketGate admission() {
        return admission;
    }

    public MarketState state() {
        return follower.follower();
    }

    public L1Follower follower() {
        return follower.follower();
    }

    public BundlePool bundles() {
        return admission.pool();
    }

    @Override
    public void close() {
        follower.close();
    }
}
