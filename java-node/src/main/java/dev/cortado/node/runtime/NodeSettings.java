package dev.cortado.node.runtime;

import dev.cortado.node.api.ApiSettings;
import dev.cortado.node.config.BrokerEntry;
import dev.cortado.node.config.NodeConfig;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.storage.StoreBudget;
import dev.cortado.protocol.crypto.BlsKeyPair;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a {@link CortadoNode} needs, resolved: built from {@link NodeConfig} by the CLI, or
 * directly by tests and the benchmark.
 *
 * @param emptyBlockDelayMs a leader with nothing to include waits this long before proposing an
 *     empty block, so an idle network does not spin through views
 * @param storeVidShares whether to compute and keep this node's VID share of every decided block
 * @param keepPayloads whether to keep decided payloads; a node that keeps none serves reads by
 *     fetching the payload from DA committee members or rebuilding it from peers' VID shares
 * @param maxClockDriftMs a proposed header's timestamp may be this far from this node's clock, either way
 * @param apiSettings the HTTP API's request limit and thread pools ({@code [api]} in node.toml)
 * @param storeBudget the store's RocksDB cache and memtable budget ({@code [storage]} in node.toml)
 */
public record NodeSettings(
        long chainId,
        BlsKeyPair keys,
        List<PeerEntry> table,
        List<BrokerEntry> brokers,
        boolean useBrokers,
        Path dataDir,
        InetSocketAddress listen,
        InetSocketAddress api,
        long baseTimeoutMs,
        long maxTimeoutMs,
        int maxBlockBytes,
        int maxFrameBytes,
        int inboxCapacity,
        MempoolLimits mempoolLimits,
        ApiSettings apiSettings,
        boolean archival,
        long retainBlocks,
        long emptyBlockDelayMs,
        boolean storeVidShares,
        boolean keepPayloads,
        long maxClockDriftMs,
        StoreBudget storeBudget) {

    /** Settings that keep payloads, with the API's default pools around {@code maxRequestBytes}. */
    public NodeSettings(long chainId, BlsKeyPair keys, List<PeerEntry> table, List<BrokerEntry> brokers, boolean useBrokers,
            Path dataDir, InetSocketAddress listen, InetSocketAddress api, long baseTimeoutMs, long maxTimeoutMs,
            int maxBlockBytes, int maxFrameBytes, int inboxCapacity, MempoolLimits mempoolLimits, int maxRequestBytes,
            boolean archival, long retainBlocks, long emptyBlockDelayMs, boolean storeVidShares) {
        this(chainId, keys, table, brokers, useBrokers, dataDir, listen, api, baseTimeoutMs, maxTimeoutMs, maxBlockBytes,
                maxFrameBytes, inboxCapacity, mempoolLimits, ApiSettings.defaults(maxRequestBytes), archival, retainBlocks, emptyBlockDelayMs,
                storeVidShares, true, NodeConfig.DEFAULT_MAX_CLOCK_DRIFT_MS, StoreBudget.DEFAULT);
    }

    public static NodeSettings from(NodeConfig c, BlsKeyPair keys) {
        return new NodeSettings(c.chainId(), keys, c.peers(), c.brokers(), c.useBrokers(), c.dataDir(), c.listen(), c.api(),
                c.baseTimeoutMs(), c.maxTimeoutMs(), c.maxBlockBytes(), c.maxFrameBytes(), c.inboxCapacity(),
                new MempoolLimits(c.maxBlockBytes(), c.maxNamespaceBytes(), c.maxTotalBytes(), c.maxTotalTxs(),
                        MempoolLimits.backlogBytes(c.maxBacklogBlocks(), c.maxBlockBytes())),
                c.apiSettings(), c.archival(), c.retainBlocks(), 100, true, true, c.maxClockDriftMs(), c.storeBudget());
    }

    public int maxRequestBytes() {
        return apiSettings.maxRequestBytes();
    }

    public NodeSettings withBrokers(boolean use) {
        return new NodeSettings(chainId, keys, table, brokers, use, dataDir, listen, api, baseTimeoutMs, maxTimeoutMs,
                maxBlockBytes, maxFrameBytes, inboxCapacity, mempoolLimits, apiSettings, archival, retainBlocks,
                emptyBlockDelayMs, storeVidShares, keepPayloads, maxClockDriftMs, storeBudget);
    }

    public NodeSettings withKeepPayloads(boolean keep) {
        return new NodeSettings(chainId, keys, table, brokers, useBrokers, dataDir, listen, api, baseTimeoutMs, maxTimeoutMs,
                maxBlockBytes, maxFrameBytes, inboxCapacity, mempoolLimits, apiSettings, archival, retainBlocks,
                emptyBlockDelayMs, storeVidShares, keep, maxClockDriftMs, storeBudget);
    }

    public NodeSettings withMaxClockDriftMs(long driftMs) {
        return new NodeSettings(chainId, keys, table, brokers, useBrokers, dataDir, listen, api, baseTimeoutMs, maxTimeoutMs,
                maxBlockBytes, maxFrameBytes, inboxCapacity, mempoolLimits, apiSettings, archival, retainBlocks,
                emptyBlockDelayMs, storeVidShares, keepPayloads, driftMs, storeBudget);
    }
}
