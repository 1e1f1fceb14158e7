package dev.cortado.settlement.l1;

import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.LightClientL1;
import dev.cortado.settlement.port.MarketplaceL1;

/** The web3j {@link L1Connector}, registered in {@code META-INF/services}. */
public final class Web3jL1Connector implements L1Connector {
    @Override
    public L1Client connect(String rpcUrl, long expectedChainId) {
        return Web3jL1Client.connect(rpcUrl, expectedChainId);
    }

    @Override
    public MarketplaceL1 marketplace(String rpcUrl, String marketplaceAddress, String stakeTableAddress) {
        return Web3jMarketplaceL1.connect(rpcUrl, marketplaceAddress, stakeTableAddress);
    }

    @Override
    public LightClientL1 lightClient(String rpcUrl, String lightClientAddress) {
        return Web3jLightClientL1.connect(rpcUrl, lightClientAddress);
    }
}
