package dev.cortado.node.l1;

import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.node.api.ConfirmationSource;
import dev.cortado.node.market.BundlePool;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.Optional;

/**
 * The confirmation levels' view of the market: the bundle pool (only admitted bundles are in it, so their
 * signature and right holder checked out) and LightClient.sol's finalized state as the follower read it.
 */
public final class MarketConfirmations implements ConfirmationSource {
    private final BundlePool pool;
    private final java.util.function.Supplier<Optional<LightClientOnL1>> lightClient;

    /** @param lightClient LightClient.sol as last followed ({@link L1Follower#lightClientOnL1}) */
    public MarketConfirmations(BundlePool pool, java.util.function.Supplier<Optional<LightClientOnL1>> lightClient) {
        this.pool = pool;
        this.lightClient = lightClient;
    }

    @Override
    public Optional<Pooled> pooled(Bytes32 txHash) {
        return pool.holding(txHash).map(p -> {
            Bundle b = p.bundle().bundle();
            List<Transaction> txs = b.transactions();
            int position = 0;
            while (!txs.get(position).hash().equals(txHash)) position++;
            return new Pooled(txs.get(position), new ConfirmationJson.PreConfirmedJson(p.bundle().id().toHex(),
                    p.signer().toHex(), b.window(), b.sequence(), position));
        });
    }

    @Override
    public Optional<ConfirmationJson.L1FinalJson> lightClientOnL1() {
        return lightClient.get().map(lc -> new ConfirmationJson.L1FinalJson(lc.l1Block(), lc.height(), lc.view(),
                lc.blockCommRoot().toHex()));
    }
}
