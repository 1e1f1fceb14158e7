package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cortado withdraw-stake} refuses bad options with one line before it touches the L1 or a node. */
class WithdrawStakeCliInputTest {
    private static final String KEY = "0x" + "11".repeat(32);

    /** The options of a valid call with {@code option} replaced by {@code value} (removed when it is null). */
    private static String run(String option, String value) {
        List<String> args = new ArrayList<>(List.of("withdraw-stake"));
        String[][] all = {{"--rpc", "http://127.0.0.1:1"}, {"--stake-table", "0x" + "ab".repeat(20)},
                {"--node", "http://127.0.0.1:2"}, {"--key", KEY}, {"--epoch-blocks", "8"}};
        for (String[] o : all) {
            String v = o[0].equals(option) ? value : o[1];
            if (v != null) args.addAll(List.of(o[0], v));
        }
        CommandLine cli = CortadoCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(1, cli.execute(args.toArray(String[]::new)), err.toString());
        return err.toString();
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertTrue(run("--rpc", "ftp://x").contains("--rpc must be an http(s) URL"));
        assertTrue(run("--stake-table", "0x12").contains("--stake-table must be 0x followed by 40 hex digits"));
        assertTrue(run("--node", null).contains("missing --node URL"));
        String noNode = run("--epoch-blocks", null);
        assertTrue(noNode.contains("127.0.0.1:2"), "without --epoch-blocks the node is asked first: " + noNode);
        assertTrue(run("--epoch-blocks", "1").contains("epoch_blocks must be in 2.."), "a schedule the nodes refuse is refused here too");
        String badKey = run("--key", "0x1234");
        assertTrue(badKey.contains("--key must hold a private key"), badKey);
        assertTrue(run("--key", null).contains("give the validator account's key"));
    }
}
