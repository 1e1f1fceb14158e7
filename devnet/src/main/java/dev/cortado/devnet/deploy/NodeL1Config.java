package dev.cortado.devnet.deploy;

import dev.cortado.node.l1.FollowerSettings;
import dev.cortado.node.l1.L1Settings;

/** A node's {@code [l1]} settings filled in from {@code deployment.json}: the RPC URL, chain id and contract addresses. */
public final class NodeL1Config {
    /** The devnet's depth: Anvil does not reorg on its own, two blocks keep the rule visible. */
    public static final int DEVNET_CONFIRMATIONS = 2;
    public static final long DEVNET_POLL_MS = 500;
    /**
     * The devnet's silence rule: a winner with no bundle decided 5 slots into its 8-slot window (10 s at the devnet's
     * 2 s slots) loses its rollups to their default sequencers for the rest of the window, so the story's silent
     * winner visibly falls back (the node's default, 8, is a whole devnet window). The nodes count from the window's
     * first slot and, with the marketplace's finality gap, know its winner there; 3 slots made every winner fall back
     * when they learnt it only about 2 slots in, and 5 was kept when the gap came (not measured shorter since).
     */
    public static final long DEVNET_SILENCE_SLOTS = 5;

    private NodeL1Config() {
    }

    /**
     * Following starts at the marketplace's deployment block, so every node builds the same history. The node
     * also follows the deployment's LightClient, for the L1-final confirmation level.
     */
    public static L1Settings of(Deployment d, int confirmations, long pollIntervalMs) {
        return new L1Settings(d.rpcUrl(), d.chainId(), d.marketplace().address(), d.stakeTable().address(),
                FollowerSettings.of(confirmations, Math.min(d.marketplace().deploymentBlock(), d.stakeTable().deploymentBlock())),
                pollIntervalMs).withLightClient(d.lightClient().address()).withSilenceSlots(DEVNET_SILENCE_SLOTS);
    }

    /** The same as a {@code node.toml} table. */
    public static String toml(Deployment d, int confirmations) {
        L1Settings s = of(d, confirmations, DEVNET_POLL_MS);
        return """
                [l1]
                rpc_url = "%s"
                chain_id = %d
                marketplace = "%s"
                stake_table = "%s"
                light_client = "%s"
                confirmations = %d
                start_block = %d
                poll_interval_ms = %d
                silence_slots = %d
                """.formatted(s.rpcUrl(), s.chainId(), s.marketplace(), s.stakeTable(), s.lightClient(), confirmations,
                s.follower().startBlock(), s.pollIntervalMs(), s.silenceSlots());
    }
}
