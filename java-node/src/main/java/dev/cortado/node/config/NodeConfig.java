package dev.cortado.node.config;

import dev.cortado.node.api.ApiSettings;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.storage.StoreBudget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A node's configuration, read from {@code node.toml}. Relative paths are resolved against the
 * file's directory. See {@code docs/architecture.md}, "Node runtime", for an annotated example.
 */
public record NodeConfig(
        Path keyFile,
        Path dataDir,
        InetSocketAddress listen,
        InetSocketAddress api,
        boolean archival,
        long retainBlocks,
        long chainId,
        long baseTimeoutMs,
        long maxTimeoutMs,
        int maxBlockBytes,
        boolean useBrokers,
        int maxFrameBytes,
        int inboxCapacity,
        long maxNamespaceBytes,
        long maxTotalBytes,
        int maxTotalTxs,
        int maxBacklogBlocks,
        int maxRequestBytes,
        List<PeerEntry> peers,
        List<BrokerEntry> brokers,
        ApiSettings apiSettings,
        long maxClockDriftMs,
        java.util.Optional<dev.cortado.node.l1.L1Settings> l1,
        java.util.Optional<EpochSettings> epochs,
        StoreBudget storeBudget) {

    /** Default bound on header timestamp drift from the local clock, both ways. */
    public static final long DEFAULT_MAX_CLOCK_DRIFT_MS = 5_000;

    static final List<String> TOP = List.of("node", "chain", "network", "mempool", "api", "peers", "brokers", "l1", "epochs",
            "storage");
    static final List<String> NODE = List.of("key_file", "data_dir", "listen", "api", "archival", "retain_blocks");
    static final List<String> CHAIN = List.of("chain_id", "base_timeout_ms", "max_timeout_ms", "max_block_bytes",
            "max_clock_drift_ms");
    static final List<String> NETWORK = List.of("use_brokers", "max_frame_bytes", "inbox_capacity");
    static final List<String> MEMPOOL = List.of("max_namespace_bytes", "max_total_bytes", "max_total_txs",
            "max_backlog_blocks");
    static final List<String> STORAGE = List.of("block_cache_mib", "write_buffer_mib");
    static final List<String> API = List.of("max_request_bytes", "io_threads", "worker_threads", "read_threads",
            "max_queued_requests");
    static final List<String> L1 = List.of("rpc_url", "chain_id", "marketplace", "stake_table", "confirmations",
            "use_finalized_tag", "start_block", "windows_ahead", "retain_windows", "max_blocks_per_poll", "poll_interval_ms", "max_l1_lead_blocks",
            "light_client", "silence_slots");
    static final List<String> PEER = List.of("public_key", "address", "stake_gwei", "da");
    static final List<String> BROKER = List.of("public_key", "address");

    public static NodeConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    public static NodeConfig parse(String text, Path baseDir) throws ConfigException {
        JsonNode toml = ConfigFields.parse(text);
        ConfigFields r = new ConfigFields();
        r.unknownKeys(toml, "", TOP);
        JsonNode empty = ConfigFields.empty();
        JsonNode node = r.table(toml, "node").orElse(empty);
        JsonNode chain = r.table(toml, "chain").orElse(empty);
        JsonNode network = r.table(toml, "network").orElse(empty);
        JsonNode mempool = r.table(toml, "mempool").orElse(empty);
        JsonNode api = r.table(toml, "api").orElse(empty);
        JsonNode storage = r.table(toml, "storage").orElse(empty);
        r.unknownKeys(node, "node.", NODE);
        r.unknownKeys(chain, "chain.", CHAIN);
        r.unknownKeys(network, "network.", NETWORK);
        r.unknownKeys(mempool, "mempool.", MEMPOOL);
        r.unknownKeys(api, "api.", API);
        r.unknownKeys(storage, "storage.", STORAGE);

        String keyFile = r.string(node, "node.", "key_file", null);
        String dataDir = r.string(node, "node.", "data_dir", null);
        InetSocketAddress listen = r.address(node, "node.", "listen", null);
        InetSocketAddress apiAddress = r.address(node, "node.", "api", null);
        boolean archival = r.bool(node, "node.", "archival", true);
        long retain = r.integer(node, "node.", "retain_blocks", 10_000L, 1, Long.MAX_VALUE);
        long chainId = r.integer(chain, "chain.", "chain_id", null, 1, Long.MAX_VALUE);
        long baseTimeout = r.integer(chain, "chain.", "base_timeout_ms", 1_000L, 10, 600_000);
        long maxTimeout = r.integer(chain, "chain.", "max_timeout_ms", 60_000L, 10, 3_600_000);
        if (maxTimeout < baseTimeout) {
            r.problem("chain.max_timeout_ms", "must be at least chain.base_timeout_ms (" + baseTimeout + "), got " + maxTimeout);
        }
        int maxBlock = (int) r.integer(chain, "chain.", "max_block_bytes", 1L << 20, 1024, 64L << 20);
        // How far a proposed header's timestamp may be from this node's clock, either way.
        long maxDrift = r.integer(chain, "chain.", "max_clock_drift_ms", NodeConfig.DEFAULT_MAX_CLOCK_DRIFT_MS, 1, 3_600_000);
        boolean useBrokers = r.bool(network, "network.", "use_brokers", true);
        int maxFrame = (int) r.integer(network, "network.", "max_frame_bytes", 16L << 20, 4096, 256L << 20);
        if (maxFrame < maxBlock + 64 * 1024) {
            r.problem("network.max_frame_bytes", "must exceed chain.max_block_bytes by at least 65536 so a full block fits, got "
                    + maxFrame);
        }
        int inbox = (int) r.integer(network, "network.", "inbox_capacity", 10_000L, 16, 10_000_000);
        long nsBytes = r.integer(mempool, "mempool.", "max_namespace_bytes", 16L << 20, 1, Long.MAX_VALUE);
        long totalBytes = r.integer(mempool, "mempool.", "max_total_bytes", MempoolLimits.DEFAULT_MAX_TOTAL_BYTES, 1, Long.MAX_VALUE);
        if (totalBytes < nsBytes) {
            r.problem("mempool.max_total_bytes", "must be at least mempool.max_namespace_bytes (" + nsBytes + ")");
        }
        int totalTxs = (int) r.integer(mempool, "mempool.", "max_total_txs", (long) MempoolLimits.DEFAULT_MAX_TOTAL_TXS, 1, 100_000_000);
        // Client pushback: blocks' worth of undecided bytes before submissions get 429 backlog (floor in MempoolLimits).
        int backlogBlocks = (int) r.integer(mempool, "mempool.", "max_backlog_blocks",
                (long) MempoolLimits.DEFAULT_BACKLOG_BLOCKS, 1, 4096);
        int maxRequest = (int) r.integer(api, "api.", "max_request_bytes", (long) defaultMaxRequestBytes(maxBlock), 1024, 512L << 20);
        int ioThreads = (int) r.integer(api, "api.", "io_threads", 1L, 1, 64);
        int workerThreads = (int) r.integer(api, "api.", "worker_threads", (long) ApiSettings.defaultWorkerThreads(), 1, 1024);
        int readThreads = (int) r.integer(api, "api.", "read_threads", (long) ApiSettings.DEFAULT_READ_THREADS, 1, 1024);
        int maxQueued = (int) r.integer(api, "api.", "max_queued_requests", (long) ApiSettings.DEFAULT_MAX_QUEUED, 1, 1_000_000);
        // RocksDB's native memory, outside the JVM heap (see StoreBudget); 64 GiB is far past any sane budget.
        long cacheMiB = r.integer(storage, "storage.", "block_cache_mib", StoreBudget.DEFAULT_BLOCK_CACHE_MIB, 1, 65_536);
        long writeBufferMiB = r.integer(storage, "storage.", "write_buffer_mib", StoreBudget.DEFAULT_WRITE_BUFFER_MIB, 1, 65_536);

        List<PeerEntry> peers = new ArrayList<>();
        Set<PeerKey> seen = new HashSet<>();
        List<JsonNode> peerTables = r.tables(toml, "peers");
        if (peerTables.isEmpty()) {
            r.problem("peers", "at least one [[peers]] entry is required (the stake table, this node included)");
        }
        boolean afterUnstaked = false;
        for (int i = 0; i < peerTables.size(); i++) {
            JsonNode p = peerTables.get(i);
            String prefix = "peers[" + i + "].";
            r.unknownKeys(p, prefix, PEER);
            PeerKey key = key(r, p, prefix);
            InetSocketAddress address = r.address(p, prefix, "address", null);
            // Zero is checked below, once [epochs] is known: only epochs can give such a peer stake later.
            long stake = r.integer(p, prefix, "stake_gwei", 1L, 0, Long.MAX_VALUE);
            boolean da = r.bool(p, prefix, "da", true);
            afterUnstaked |= checkUnstaked(r, prefix, stake, toml.has("epochs"), afterUnstaked);
            if (key != null && !seen.add(key)) {
                r.problem(prefix + "public_key", "duplicate key " + key.shortHex());
            }
            if (key != null && address != null) {
                peers.add(new PeerEntry(key, address, stake, da));
            }
        }
        if (!peerTables.isEmpty() && peers.stream().allMatch(p -> p.stakeGwei() == 0) && r.problems().isEmpty()) {
            r.problem("peers", "every peer has stake_gwei = 0; the genesis table cannot be empty");
        }
        if (!peerTables.isEmpty() && peers.stream().noneMatch(PeerEntry::da) && r.problems().isEmpty()) {
            r.problem("peers", "no peer has da = true; the DA committee cannot be empty");
        }
        List<BrokerEntry> brokers = new ArrayList<>();
        List<JsonNode> brokerTables = r.tables(toml, "brokers");
        for (int i = 0; i < brokerTables.size(); i++) {
            JsonNode b = brokerTables.get(i);
            String prefix = "brokers[" + i + "].";
            r.unknownKeys(b, prefix, BROKER);
            PeerKey key = key(r, b, prefix);
            InetSocketAddress address = r.address(b, prefix, "address", null);
            if (key != null && address != null) {
                brokers.add(new BrokerEntry(key, address));
            }
        }
        boolean hasL1 = toml.has("l1");
        java.util.Optional<dev.cortado.node.l1.L1Settings> l1 = r.table(toml, "l1").flatMap(t -> l1(r, t));
        java.util.Optional<EpochSettings> epochs = r.table(toml, "epochs").flatMap(t -> EpochSettings.parse(r, t, hasL1));
        if (!r.problems().isEmpty()) {
            throw new ConfigException(r.problems());
        }
        return new NodeConfig(baseDir.resolve(keyFile), baseDir.resolve(dataDir), listen, apiAddress, archival, retain,
                chainId, baseTimeout, maxTimeout, maxBlock, useBrokers, maxFrame, inbox, nsBytes, totalBytes, totalTxs,
                backlogBlocks, maxRequest, List.copyOf(peers), List.copyOf(brokers),
                new ApiSettings(maxRequest, ioThreads, workerThreads, readThreads, maxQueued), maxDrift, l1, epochs,
                StoreBudget.ofMiB(cacheMiB, writeBufferMiB));
    }

    /**
     * A peer with {@code stake_gwei = 0} is a validator not registered on L1 yet: it runs with the network and gets
     * stake from a later epoch's table. It needs {@code [epochs]} and must follow every staked peer (a staked peer's
     * index is its genesis table position). It may have {@code da = true}: it then serves on the DA committee of each
     * epoch whose table gives it stake and marks it DA (its StakeTable.sol registration's {@code isDa}, which the
     * {@code da} flag must match), from its first. Returns whether this peer is unstaked.
     */
    private static boolean checkUnstaked(ConfigFields r, String prefix, long stake, boolean hasEpochs,
                                         boolean afterUnstaked) {
        if (stake != 0) {
            if (afterUnstaked) {
                r.problem(prefix + "stake_gwei", "a staked peer must come before every peer with stake_gwei = 0");
            }
            return false;
        }
        if (!hasEpochs) {
            r.problem(prefix + "stake_gwei", "0 needs an [epochs] table: without epochs the genesis stake is fixed and"
                    + " a peer without stake could never vote");
        }
        return true;
    }

    /** {@code [l1]}: where the L1 and the contracts are, and how deep the follower reads. */
    static java.util.Optional<dev.cortado.node.l1.L1Settings> l1(ConfigFields r, JsonNode t) {
        r.unknownKeys(t, "l1.", L1);
        String rpc = r.string(t, "l1.", "rpc_url", null);
        long chainId = r.integer(t, "l1.", "chain_id", null, 1, Long.MAX_VALUE);
        String market = r.string(t, "l1.", "marketplace", null);
        String stake = r.string(t, "l1.", "stake_table", null);
        String lightClient = t.has("light_client") ? r.string(t, "l1.", "light_client", null) : null;
        for (String[] a : new String[][] {{"marketplace", market}, {"stake_table", stake}, {"light_client", lightClient}}) {
            if (a[1] != null && !a[1].matches("0x[0-9a-fA-F]{40}")) {
                r.problem("l1." + a[0], "expected 0x and 40 hex digits, got \"" + a[1] + "\"");
            }
        }
        if (rpc != null && !(rpc.startsWith("http://") || rpc.startsWith("https://"))) {
            r.problem("l1.rpc_url", "expected an http:// or https:// URL, got \"" + rpc + "\"");
        }
        int confirmations = (int) r.integer(t, "l1.", "confirmations", 2L, 0, 1_000);
        boolean finalizedTag = r.bool(t, "l1.", "use_finalized_tag", false);
        long startBlock = r.integer(t, "l1.", "start_block", 0L, 0, Long.MAX_VALUE);
        int ahead = (int) r.integer(t, "l1.", "windows_ahead", 2L, 0, 16);
        int retain = (int) r.integer(t, "l1.", "retain_windows", 4L, 1, 64);
        int perPoll = (int) r.integer(t, "l1.", "max_blocks_per_poll", 256L, 1, 1_000);
        long pollMs = r.integer(t, "l1.", "poll_interval_ms", 1_000L, 10, 600_000);
        long lead = r.integer(t, "l1.", "max_l1_lead_blocks", dev.cortado.node.l1.L1Settings.DEFAULT_MAX_L1_LEAD_BLOCKS, 0, 100_000);
        long silence = r.integer(t, "l1.", "silence_slots", dev.cortado.node.l1.L1Settings.DEFAULT_SILENCE_SLOTS, 1, 1_000_000);
        if (!r.problems().isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of(new dev.cortado.node.l1.L1Settings(rpc, chainId, market, stake,
                new dev.cortado.node.l1.FollowerSettings(confirmations, finalizedTag, startBlock, ahead, retain, perPoll),
                pollMs, lead, lightClient, silence));
    }

    /**
     * Room for a block-sized transaction sent as hex JSON (two characters a byte plus the envelope),
     * so an oversized transaction is refused as {@code transaction_too_large}, which names the block
     * limit, rather than as an opaque {@code body_too_large}.
     */
    public static int defaultMaxRequestBytes(int maxBlockBytes) {
        return maxBlockBytes * 2 + 4096;
    }

    static PeerKey key(ConfigFields r, JsonNode t, String prefix) {
        String hex = r.string(t, prefix, "public_key", null);
        if (hex == null) {
            return null;
        }
        try {
            return PeerKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            r.problem(prefix + "public_key", "expected 0x-prefixed hex of a 96-byte compressed BLS key: " + e.getMessage());
            return null;
        }
    }
}
