package dev.cortado.settlement.port;

import java.util.ServiceLoader;

/**
 * Opens the L1 adapters. The node finds the implementation with {@link ServiceLoader}, so it depends on
 * this port only and never on the web3j adapter's classes.
 */
public interface L1Connector {
    /** Connects to {@code rpcUrl} and checks that it serves {@code expectedChainId}. */
    L1Client connect(String rpcUrl, long expectedChainId);

    /** Opens marketplace and stake-table reads against the contracts at these addresses. */
    MarketplaceL1 marketplace(String rpcUrl, String marketplaceAddress, String stakeTableAddress);

    /** Opens reads of LightClient.sol at {@code lightClientAddress}. */
    LightClientL1 lightClient(String rpcUrl, String lightClientAddress);

    /** The connector on the class path; fails clearly when the settlement adapter is missing. */
    static L1Connector load() {
        return ServiceLoader.load(L1Connector.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no L1Connector on the class path (the settlement module's web3j adapter provides one)"));
    }
}
