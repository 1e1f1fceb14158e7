package dev.cortado.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.api.ApiSettings;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.testing.TestKeys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static final String KEY0 = TestKeys.keyPair(0).publicKey().toHex();
    private static final String KEY1 = TestKeys.keyPair(1).publicKey().toHex();

    static String valid() {
        return """
        [node]
        key_file = "node0.key"
        data_dir = "data/node0"
        listen = "127.0.0.1:9000"
        api = "127.0.0.1:8000"
        archival = false
        retain_blocks = 500

        [chain]
        chain_id = 31337
        base_timeout_ms = 800

        [[peers]]
        public_key = "%s"
        address = "127.0.0.1:9000"

        [[peers]]
        public_key = "%s"
        address = "127.0.0.1:9001"
        stake_gwei = 5
        da = false

        [[brokers]]
        public_key = "%s"
        address = "127.0.0.1:7000"
        """.formatted(KEY0, KEY1, KEY1);
    }

    @Test
    void parsesAValidFileWithDefaults() throws ConfigException {
        NodeConfig c = NodeConfig.parse(valid(), Path.of("/etc/cortado"));
        assertEquals(Path.of("/etc/cortado/node0.key"), c.keyFile());
        assertEquals(9001, c.peers().get(1).address().getPort());
        assertEquals(5, c.peers().get(1).stakeGwei());
        assertFalse(c.peers().get(1).da());
        assertFalse(c.archival());
        assertEquals(500, c.retainBlocks());
        assertEquals(800, c.baseTimeoutMs());
        assertEquals(1 << 20, c.maxBlockBytes());
        assertEquals(1, c.brokers().size());
        assertTrue(c.useBrokers());
        assertEquals(2 * (1 << 20) + 4096, c.maxRequestBytes());
        assertEquals(c.maxRequestBytes(), c.apiSettings().maxRequestBytes());
        assertEquals(ApiSettings.defaultWorkerThreads(), c.apiSettings().workerThreads());
    }

    @Test
    void clockDriftBoundIsConfigurableAndReachesTheNode() throws ConfigException {
        assertEquals(NodeConfig.DEFAULT_MAX_CLOCK_DRIFT_MS, NodeConfig.parse(valid(), Path.of(".")).maxClockDriftMs());
        NodeConfig c = NodeConfig.parse(valid().replace("chain_id = 31337", "chain_id = 31337\nmax_clock_drift_ms = 1500"),
                Path.of("."));
        assertEquals(1500, c.maxClockDriftMs());
        assertEquals(1500, NodeSettings.from(c, TestKeys.keyPair(0)).maxClockDriftMs());
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(
                valid().replace("chain_id = 31337", "chain_id = 31337\nmax_clock_drift_ms = 0"), Path.of(".")));
        assertEquals(List.of("chain.max_clock_drift_ms: must be between 1 and 3600000, got 0"), e.problems());
    }

    @Test
    void backlogBlocksDefaultToFourWithAnEightMebibyteFloorAndReachTheMempool() throws ConfigException {
        NodeConfig defaults = NodeConfig.parse(valid(), Path.of("."));
        assertEquals(4, defaults.maxBacklogBlocks());
        // 4 blocks of the default 1 MiB are under the floor.
        assertEquals(8L << 20, NodeSettings.from(defaults, TestKeys.keyPair(0)).mempoolLimits().maxBacklogBytes());
        NodeConfig nine = NodeConfig.parse(valid() + "\n[mempool]\nmax_backlog_blocks = 9\n", Path.of("."));
        assertEquals(9, nine.maxBacklogBlocks());
        assertEquals(9L << 20, NodeSettings.from(nine, TestKeys.keyPair(0)).mempoolLimits().maxBacklogBytes());
        NodeConfig bigBlocks = NodeConfig.parse(valid().replace("chain_id = 31337", "chain_id = 31337\nmax_block_bytes = 4194304")
                + "\n[network]\nmax_frame_bytes = 8388608\n", Path.of("."));
        assertEquals(16L << 20, NodeSettings.from(bigBlocks, TestKeys.keyPair(0)).mempoolLimits().maxBacklogBytes(),
                "4 blocks of 4 MiB");
        for (String bad : List.of("0", "-3")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> NodeConfig.parse(valid() + "\n[mempool]\nmax_backlog_blocks = " + bad + "\n", Path.of(".")));
            assertEquals(List.of("mempool.max_backlog_blocks: must be between 1 and 4096, got " + bad), e.problems());
        }
        ConfigException text = assertThrows(ConfigException.class,
                () -> NodeConfig.parse(valid() + "\n[mempool]\nmax_backlog_blocks = \"many\"\n", Path.of(".")));
        assertEquals(List.of("mempool.max_backlog_blocks: expected an integer"), text.problems());
    }

    @Test
    void apiThreadsAreConfigurable() throws ConfigException {
        NodeConfig c = NodeConfig.parse(valid() + "\n[api]\nworker_threads = 32\nread_threads = 6\nio_threads = 2\n"
                + "max_queued_requests = 100\nmax_request_bytes = 4096\n", Path.of("."));
        assertEquals(new ApiSettings(4096, 2, 32, 6, 100), c.apiSettings());
        assertEquals(c.apiSettings(), NodeSettings.from(c, TestKeys.keyPair(0)).apiSettings(),
                "the node runs the configured pools");
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeConfig.parse(valid() + "\n[api]\nworker_threads = 0\nread_threads = \"many\"\n", Path.of(".")));
        assertEquals(List.of("api.worker_threads: must be between 1 and 1024, got 0", "api.read_threads: expected an integer"),
                e.problems());
    }

    @Test
    void wrongShapesAndKeyFilesGetOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConfigException shape = assertThrows(ConfigException.class,
                () -> NodeConfig.parse("node = 3\npeers = \"x\"\n[chain]\nchain_id = 1.5\n", Path.of(".")));
        assertTrue(shape.problems().containsAll(List.of("node: expected a table [node]",
                "peers: expected an array of tables [[peers]]", "chain.chain_id: expected an integer")), shape.problems()::toString);
        ConfigException big = assertThrows(ConfigException.class,
                () -> NodeConfig.parse(valid().replace("chain_id = 31337", "chain_id = 0"), Path.of(".")));
        assertEquals(List.of("chain.chain_id: must be between 1 and 9223372036854775807, got 0"), big.problems());
        Path key = dir.resolve("k.toml");
        java.nio.file.Files.writeString(key, "secret_key = 5\n");
        ConfigException keyFile = assertThrows(ConfigException.class, () -> KeyFile.read(key));
        assertEquals(List.of(key + ": expected secret_key and public_key strings"), keyFile.problems());
        KeyFile.write(dir.resolve("good.toml"), TestKeys.keyPair(3));
        assertEquals(TestKeys.keyPair(3).publicKey().toHex(), KeyFile.read(dir.resolve("good.toml")).publicKey().toHex());
    }

    @Test
    void everyBadFieldGetsOneLineNamingIt() {
        String bad = valid()
                .replace("listen = \"127.0.0.1:9000\"", "listen = \"nowhere\"")
                .replace("chain_id = 31337", "chain_id = \"x\"")
                .replace("stake_gwei = 5", "stake_gwei = 0\nweight = 3")
                .replace("address = \"127.0.0.1:7000\"", "address = \"127.0.0.1:99999\"")
                .replace("public_key = \"" + KEY0 + "\"", "public_key = \"0x1234\"");
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(bad, Path.of(".")));
        List<String> p = e.problems();
        assertTrue(p.stream().anyMatch(l -> l.startsWith("node.listen: expected host:port")), p::toString);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("chain.chain_id: expected an integer")), p::toString);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("peers[1].stake_gwei: 0 needs an [epochs] table")), p::toString);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("peers[1].weight: unknown field")), p::toString);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("brokers[0].address: expected host:port")), p::toString);
        assertTrue(p.stream().anyMatch(l -> l.startsWith("peers[0].public_key: expected 0x-prefixed hex")), p::toString);
        assertTrue(p.stream().noneMatch(l -> l.contains("\n")));
        assertEquals(6, p.size(), p::toString);
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse("[node]\nlisten = \"h:1\"\n", Path.of(".")));
        assertTrue(e.problems().containsAll(List.of("node.key_file: required", "node.data_dir: required",
                "node.api: required", "chain.chain_id: required")), e.problems()::toString);
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("peers: at least one")));
    }

    @Test
    void syntaxErrorsAreReported() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse("[node\n", Path.of(".")));
        assertTrue(e.problems().getFirst().startsWith("syntax:"), e.problems()::toString);
        assertTrue(e.problems().getFirst().contains("line 1"), e.problems()::toString);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().stream().noneMatch(l -> l.contains("\n")));
    }
}
