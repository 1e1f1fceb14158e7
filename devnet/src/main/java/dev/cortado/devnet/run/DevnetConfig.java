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
 * @param epochBlocks blocks per stake-table epoch, read from StakeTable.sol, with one more node configured but not
 *     registered (the joiner); 0 runs the genesis table for the whole run and no joiner
 */
public record DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir, int nodes, int daCommittee, long hotShotChainId,
        int demoTxPerSec, long batchMaxAgeMs, long epochBlocks) {
    /**
     * Batches closed at two slots of age: quick to reach L1, as tests want, though at the demo's load a
     * blob is then about a tenth full.
     */
    public DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir, int nodes, int daCommittee, long hotShotChainId,
            int demoTxPerSec) {
        this(l1, secondsPerSlot, outDir, nodes, daCommittee, hotShotChainId, demoTxPerSec, 2_000L * secondsPerSlot,
                DEFAULT_EPOCH_BLOCKS);
    }

    /**
     * Epochs of 150 blocks: at the devnet's decide rate (about 9.6 blocks a second on the demo's defaults, measured on
     * a loaded two-core machine, see docs/architecture.md "The devnet story and dashboard") one lasts about 15 s, long
     * enough to read on the terminal, short enough that the joiner, registered after epoch 0, signs within a minute.
     */
    public static final long DEFAULT_EPOCH_BLOCKS = 150;
    /**
     * The node's smallest lead ({@code [epochs] snapshot_lead_blocks}, see EpochSettings): the next table is read at
     * the l1Head of the block 3 before the boundary, so a registration takes effect one epoch later at most.
     */
    public static final long SNAPSHOT_LEAD_BLOCKS = 3;
    /** An epoch of a million blocks lasts days at the devnet's rate: past that the joiner would never join. */
    public static final long MAX_EPOCH_BLOCKS = 1_000_000;

    /** The L1 has ten funded accounts: the deployer plus one registrant per validator (the joiner's included). */
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
        if (epochBlocks != 0 && (epochBlocks <= SNAPSHOT_LEAD_BLOCKS || epochBlocks > MAX_EPOCH_BLOCKS)) {
            throw new IllegalArgumentException("--epoch-blocks must be 0 (one stake table, no joiner) or "
                    + (SNAPSHOT_LEAD_BLOCKS + 1) + ".." + MAX_EPOCH_BLOCKS + ", got " + epochBlocks);
        }
        if (epochBlocks != 0 && nodes == MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1.." + (MAX_NODES - 1) + " with epochs (the joiner takes the"
                    + " last validator account), got " + nodes + "; or --epoch-blocks 0");
        }
        if (hotShotChainId < 1) {
            throw new IllegalArgumentException("the HotShot chain id must be positive, got " + hotShotChainId);
        }
    }

    public static DevnetConfig defaults(L1Kind l1, int secondsPerSlot, Path outDir) {
        return new DevnetConfig(l1, secondsPerSlot, outDir, 4, 3, 0xC0A7AD0L, 20);
    }

    /** The epoch schedule the nodes and the light-client poster follow, or empty with {@code --epoch-blocks 0}. */
    public java.util.Optional<dev.cortado.protocol.epoch.EpochSchedule> schedule() {
        return epochBlocks == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(new dev.cortado.protocol.epoch.EpochSchedule(epochBlocks, SNAPSHOT_LEAD_BLOCKS));
    }

    /** The nodes the devnet starts: the validators plus, with epochs, the joiner. */
    public int nodesStarted() {
        return nodes + (epochBlocks == 0 ? 0 : 1);
    }
}
