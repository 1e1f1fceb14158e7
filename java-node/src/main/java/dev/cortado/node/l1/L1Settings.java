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
 * @param maxL1LeadBlocks a proposed header's l1Head may be at most this many blocks beyond the highest L1 block
 *                        this node has followed ({@code max_l1_lead_blocks}); within the lead the proposal waits
 *                        for the follower, beyond it the proposal is rejected
 * @param lightClient the LightClient address ({@code light_client}), or null: then the node reports no
 *                    transaction as L1-final
 * @param silenceSlots a window's winner with no bundle decided for this many slots loses its rollups to their default
 *                     sequencers for the rest of the window ({@code silence_slots}); a chain rule, so every node of a
 *                     network must use the same value
 */
public record L1Settings(String rpcUrl, long chainId, String marketplace, String stakeTable, FollowerSettings follower,
                         long pollIntervalMs, long maxL1LeadBlocks, String lightClient, long silenceSlots) {
    /** Default lead: a few L1 blocks, enough for replicas whose followers poll at different moments. */
    public static final long DEFAULT_MAX_L1_LEAD_BLOCKS = 16;
    /** Default silence: 8 slots (96 s at 12 s slots). */
    public static final long DEFAULT_SILENCE_SLOTS = 8;

    public L1Settings(String rpcUrl, long chainId, String marketplace, String stakeTable, FollowerSettings follower,
                      long pollIntervalMs, long maxL1LeadBlocks) {
        this(rpcUrl, chainId, marketplace, stakeTable, follower, pollIntervalMs, maxL1LeadBlocks, null, DEFAULT_SILENCE_SLOTS);
    }

    public L1Settings(String rpcUrl, long chainId, String marketplace, String stakeTable, FollowerSettings follower,
                      long pollIntervalMs) {
        this(rpcUrl, chainId, marketplace, stakeTable, follower, pollIntervalMs, DEFAULT_MAX_L1_LEAD_BLOCKS);
    }

    /** The same settings, also following LightClient.sol at {@code address}. */
    public L1Settings withLightClient(String address) {
        return new L1Settings(rpcUrl, chainId, marketplace, stakeTable, follower, pollIntervalMs, maxL1LeadBlocks, address,
                silenceSlots);
    }

    /** The same settings with another silence rule (a chain rule: every node of a network must use the same). */
    public L1Settings withSilenceSlots(long slots) {
        return new L1Settings(rpcUrl, chainId, marketplace, stakeTable, follower, pollIntervalMs, maxL1LeadBlocks, lightClient,
                slots);
    }

    public L1Settings {
        if (silenceSlots < 1 || silenceSlots > 1_000_000) {
            throw new IllegalArgumentException("silence_slots must be 1..1000000, got " + silenceSlots);
        }
        if (maxL1LeadBlocks < 0 || maxL1LeadBlocks > 100_000) {
            throw new IllegalArgumentException("max_l1_lead_blocks must be 0..100000, got " + maxL1LeadBlocks);
        }
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
        if (lightClient != null && !lightClient.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("light_client must be 0x and 40 hex digits, got " + lightClient);
        }
    }
}
