package dev.cortado.node.l1;

/**
 * Where the node's L1 is and how it follows it: {@code [l1]} in {@code node.toml}, which the devnet fills in
 * from {@code deployment.json}.
 *
 * @param rpcUrl the L1 JSON-RPC endpoint
 * @param chainId the L1 chain id the endpoint must serve
 * @param marketplace the SequencingMarketplace address (also the bundles' EIP-712 verifying contract)
 * @param stakeTable the StakeTable address
 * @param pollIntervalMs how often the follower asks for new blocks
 */
public record L1Settings(String rpcUrl, long chainId, String marketplace, String stakeTable, FollowerSettings follower,
                         long pollIntervalMs) {
    public L1Settings {
        if (rpcUrl == null || !(rpcUrl.startsWith("http://") || rpcUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("rpc_url must be an http(s) URL, got " + rpcUrl);
        }
        if (chainId < 1) throw new IllegalArgumentException("chain_id must be >= 1, got " + chainId);
        for (String a : new String[] {marketplace, stakeTable}) {
            if (a == null || !a.matches("0x[0-9a-fA-F]{40}")) {
                throw new IllegalArgumentException("contract address must be 0x and 40 hex digits, got " + a);
            }
        }
        if (pollIntervalMs < 10 || pollIntervalMs > 600_000) {
            throw new IllegalArgumentException("poll_interval_ms must be 10..600000, got " + pollIntervalMs);
        }
        java.util.Objects.requireNonNull(follower, "follower");
    }
}
