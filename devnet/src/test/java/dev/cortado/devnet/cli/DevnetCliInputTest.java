package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.run.DevnetConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortado devnet}'s epoch options: what each asks for, and bad values as one line before anything starts. */
class DevnetCliInputTest {

    /** Runs {@code cortado devnet --out <out> args}, which must fail with {@code code}; returns what it printed. */
    private static String refused(Path out, int code, String... args) {
        List<String> all = new ArrayList<>(List.of("devnet", "--out", out.resolve("devnet").toString()));
        all.addAll(List.of(args));
        CommandLine cli = CortadoCli.newCommandLine();
        StringWriter text = new StringWriter();
        cli.setErr(new PrintWriter(text, true));
        cli.setOut(new PrintWriter(text, true));
        assertEquals(code, cli.execute(all.toArray(String[]::new)), text.toString());
        assertFalse(Files.exists(out.resolve("devnet")), "nothing started: " + text);
        assertFalse(text.toString().contains("\tat "), "no stack trace: " + text);
        return text.toString();
    }

    private static DevnetCommand parsed(String... args) {
        DevnetCommand command = new DevnetCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void badEpochOptionsAreOneLineErrors(@TempDir Path out) {
        for (String bad : List.of("3", "-1", "1000001")) {
            String text = refused(out, 1, "--epoch-blocks", bad);
            assertTrue(text.contains("--epoch-blocks must be 0 (one stake table, no joiner) or 4..1000000, got " + bad), text);
        }
        String word = refused(out, 2, "--epoch-blocks", "many");
        assertTrue(word.contains("--epoch-blocks"), word);
        String nine = refused(out, 1, "--nodes", "9");
        assertTrue(nine.contains("--nodes must be 1..8 with epochs (the joiner takes the last validator account), got 9"), nine);
    }

    @Test
    void epochsAreOnByDefaultWithTheJoinAndTheExit() {
        DevnetCommand c = parsed();
        assertEquals(DevnetConfig.DEFAULT_EPOCH_BLOCKS, c.config().schedule().orElseThrow().epochBlocks());
        assertEquals(DevnetConfig.SNAPSHOT_LEAD_BLOCKS, c.config().schedule().orElseThrow().snapshotLeadBlocks());
        assertEquals(5, c.config().nodesStarted());
        assertTrue(c.story().join());
        assertTrue(c.story().exit());
        assertEquals(40, parsed("--epoch-blocks", "40").config().epochBlocks());
    }

    @Test
    void zeroEpochBlocksRunsOneTableWithNoJoiner() {
        DevnetCommand c = parsed("--epoch-blocks", "0", "--nodes", "9");
        assertTrue(c.config().schedule().isEmpty());
        assertEquals(9, c.config().nodesStarted());
        assertFalse(c.story().join());
        assertFalse(c.story().exit());
    }

    @Test
    void theJoinAndTheExitCanBeLeftOut() {
        DevnetCommand noExit = parsed("--no-exit");
        assertTrue(noExit.story().join());
        assertFalse(noExit.story().exit());
        DevnetCommand noJoin = parsed("--no-join");
        assertFalse(noJoin.story().join());
        assertFalse(noJoin.story().exit(), "the exit waits for the joiner's signature");
        assertEquals(5, noJoin.config().nodesStarted(), "the joiner's node still runs and follows");
        assertFalse(parsed("--nodes", "1").story().exit(), "one genesis validator has no one to leave the table to");
    }
}
