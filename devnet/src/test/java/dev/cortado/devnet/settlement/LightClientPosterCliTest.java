package dev.cortado.devnet.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.cli.PostLightClientCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortado post-light-client}: every bad input is one clear line and exit code 1. */
class LightClientPosterCliTest {
    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String ADDR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        CommandLine cli = CortadoCli.newCommandLine();
        cli.addSubcommand("post-light-client", new PostLightClientCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static List<String> base(String rpc) {
        return new ArrayList<>(List.of("post-light-client", "--rpc", rpc, "--light-client", ADDR, "--node",
                "http://127.0.0.1:9", "--once"));
    }

    private static void assertOneLineError(String expectedFragment, List<String> args) {
        Outcome o = run(args.toArray(String[]::new));
        assertEquals(1, o.code(), () -> "exit code; err: " + o.err());
        List<String> lines = o.err().lines().toList();
        assertEquals(1, lines.size(), () -> "one line, got: " + o.err());
        assertTrue(lines.getFirst().startsWith("cortado post-light-client: "), lines.getFirst());
        assertTrue(lines.getFirst().contains(expectedFragment), () -> "expected '" + expectedFragment + "' in " + lines);
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> out = new ArrayList<>(args);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws IOException {
        String rpc = "http://127.0.0.1:8545";
        assertOneLineError("missing --rpc URL", List.of("post-light-client", "--light-client", ADDR, "--key", KEY));
        assertOneLineError("--rpc must be an http(s) URL", with(List.of("post-light-client", "--rpc", "ws://x:1"), "--key", KEY));
        assertOneLineError("--light-client must be 0x followed by 40 hex digits",
                List.of("post-light-client", "--rpc", rpc, "--light-client", "0x1234", "--key", KEY));
        assertOneLineError("give at least one --node URL",
                List.of("post-light-client", "--rpc", rpc, "--light-client", ADDR, "--key", KEY));
        assertOneLineError("--node must be an http(s) URL", List.of("post-light-client", "--rpc", rpc, "--light-client",
                ADDR, "--node", "localhost:9000", "--key", KEY));
        assertOneLineError("give the posting account's key", base(rpc));
        assertOneLineError("either --key or --key-file, not both", with(base(rpc), "--key", KEY, "--key-file", "k"));
        Outcome badKey = run(with(base(rpc), "--key", "0xabc123").toArray(String[]::new));
        assertTrue(badKey.err().contains("--key must hold a private key of 32 bytes"), badKey.err());
        assertFalse(badKey.err().contains("abc123"), "the key is never echoed");
        assertOneLineError("zero key", with(base(rpc), "--key", "0x" + "0".repeat(64)));
        assertOneLineError("cannot read --key-file", with(base(rpc), "--key-file", dir.resolve("missing").toString()));
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "not a key\n");
        assertOneLineError("must hold a private key", with(base(rpc), "--key-file", keyFile.toString()));
        assertOneLineError("--interval: 'soon' is not a duration", with(base(rpc), "--key", KEY, "--interval", "soon"));
    }

    @Test
    void anUnreachableL1IsOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertOneLineError("failed after 1 attempts", with(base("http://127.0.0.1:" + port), "--key", KEY,
                "--max-rpc-attempts", "1"));
    }
}
