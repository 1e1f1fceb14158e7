package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.node.cli.NodeMain;
import dev.cortado.node.config.KeyFile;
import dev.cortado.node.testing.TestKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortado node} on a data directory of an older store format stops with one line saying what to do. */
class OldDataDirCliTest {
    @Test
    void theNodeRefusesAnOlderDataDirectoryWithOneLine(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (NodeStore store = new NodeStore(data)) {
            store.putDecided(new DecidedBlock(1, 1, new byte[40], new byte[20], new byte[30], new byte[32]), null, null,
                    List.of(), null);
        }
        RawStores.putOrDelete(data, "meta", "store-format".getBytes(StandardCharsets.US_ASCII), null);
        KeyFile.write(dir.resolve("node.key"), TestKeys.keyPair(0));
        Files.writeString(dir.resolve("node.toml"), """
                [node]
                key_file = "node.key"
                data_dir = "data"
                listen = "127.0.0.1:1"
                api = "127.0.0.1:2"

                [chain]
                chain_id = 31337

                [[peers]]
                public_key = "%s"
                address = "127.0.0.1:1"
                """.formatted(TestKeys.keyPair(0).publicKey().toHex()));
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NodeMain());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("node", "--config", dir.resolve("node.toml").toString()), err.toString());
        assertEquals("data_dir: the data directory " + data + " was written by an older Cortado (before store formats"
                + " were recorded); this node reads store format 1 only. Start it on a fresh data directory: it catches"
                + " up from its peers\n", err.toString());
    }
}
