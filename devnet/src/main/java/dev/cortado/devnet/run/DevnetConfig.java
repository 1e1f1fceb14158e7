package dev.cortado.devnet.run;

import dev.cortado.devnet.l1.L1Kind;
import java.nio.file.Path;

/**
 * What {@code cortado devnet} starts.
 *
 * @param l1 which L1 node to run
 * @param secondsPerSlot the slot length; the L1 seals one block per slot
 * @param outDir where deployment.json and node data go
 * @param nodes how many validators (nodes) the network has
 * @param daCommittee how many of them form the DA committee
 * @param hotShotChainId the HotShot network's chain id, which every signed digest carries
 * @param demoTxPerSec the demo rollups' transaction rate
 * @param batchMaxAgeMs the batch poster's latency budget: a batch closes at this age unless it filled a blob first
 */
public record DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir, int nodes, int daCommittee, long hotShotChainId,
        int demoTxPerSec, long batchMaxAgeMs) {
    /**
     * Batches closed at two slots of age: quick to reach L1, as tests want, though at the demo's load a
     * blob is then about a tenth full.
     */
    public DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir, int nodes, int daCommittee, long hotShotChainId,
            int demoTxPerSec) {
        this(l1, secondsPerSlot, outDir, nodes, daCommittee, hotShotChainId, demoTxPerSec, 2_000L * secondsPerSlot);
    }

    /** The L1 has ten funded accounts: the deployer plus one registrant per validator. */
    public static final int MAX_NODES = 9;
    /** Each node's block limit. */
    public static final int MAX_BLOCK_BYTES = 1 << 20;
    /** Each node's HTTP body limit: larger than a block, so a too-large transaction is named as such. */
    public static final int MAX_REQUEST_BYTES = dev.cortado.node.config.NodeConfig.defaultMaxRequestBytes(MAX_BLOCK_BYTES);

    public DevnetConfig {
        if (secondsPerSlot < 1 || secondsPerSlot > 60) {
            throw new IllegalArgumentException("--seconds-per-slot must be 1..60, got " + secondsPerSlot);
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1.." + MAX_NODES + ", got " + nodes);
        }
        if (daCommittee < 1 || daCommittee > nodes) {
            throw new IllegalArgumentException("--da-committee must be 1.." + nodes + ", got " + daCommittee);
        }
        if (demoTxPerSec < 1 || demoTxPerSec > 1_000) {
            throw new IllegalArgumentException("--demo-tps must be 1..1000, got " + demoTxPerSec);
        }
        if (batchMaxAgeMs < 0 || batchMaxAgeMs > 3_600_000) {
            throw new IllegalArgumentException("--batch-max-age must be 0..1h, got " + batchMaxAgeMs + " ms");
        }
        if (hotShotChainId < 1) {
            throw new IllegalArgumentException("the HotShot chain id must be positive, got " + hotShotChainId);
        }
    }

    public static DevnetConfig defaults(L1Kind l1, int secondsPerSlot, Path outDir) {
        return new DevnetConfig(l1, secondsPerSlot, outDir, 4, 3, 0xC0A7AD0L, 20);
    }
}
