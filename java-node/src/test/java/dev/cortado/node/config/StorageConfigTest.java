package dev.cortado.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.storage.StoreBudget;
import dev.cortado.node.testing.TestKeys;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code [storage]}'s memory budget and the mempool's default caps (issue 10, node memory). */
class StorageConfigTest {
    private static NodeConfig parse(String extra) throws ConfigException {
        // Put first: a bare key after the last table header would belong to that table.
        return NodeConfig.parse(extra + "\n" + NodeConfigTest.valid(), Path.of("."));
    }

    @Test
    void defaultsKeepANodeWithinItsMemoryBudget() throws ConfigException {
        NodeConfig c = parse("");
        assertEquals(new StoreBudget(16L << 20, 16L << 20), c.storeBudget());
        assertEquals(48L << 20, c.maxTotalBytes());
        assertEquals(150_000, c.maxTotalTxs());
        MempoolLimits limits = NodeSettings.from(c, TestKeys.keyPair(0)).mempoolLimits();
        assertEquals(MempoolLimits.defaults().maxTotalBytes(), limits.maxTotalBytes());
        assertEquals(MempoolLimits.defaults().maxTotalTxs(), limits.maxTotalTxs());
    }

    @Test
    void theBudgetIsConfigurableAndReachesTheNode() throws ConfigException {
        NodeConfig c = parse("[storage]\nblock_cache_mib = 8\nwrite_buffer_mib = 4\n");
        assertEquals(StoreBudget.ofMiB(8, 4), c.storeBudget());
        assertEquals(StoreBudget.ofMiB(8, 4), NodeSettings.from(c, TestKeys.keyPair(0)).storeBudget());
    }

    @Test
    void badBudgetsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("[storage]\nblock_cache_mib = 0\nwrite_buffer_mib = \"big\"\ncache = 3\n"));
        assertEquals(List.of("storage.cache: unknown field (known: block_cache_mib, write_buffer_mib)",
                "storage.block_cache_mib: must be between 1 and 65536, got 0",
                "storage.write_buffer_mib: expected an integer"), e.problems());
        ConfigException table = assertThrows(ConfigException.class, () -> parse("storage = 3\n"));
        assertEquals(List.of("storage: expected a table [storage]"), table.problems());
    }
}
