package dev.cortado.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.config.KeyFile;
import dev.cortado.protocol.crypto.BlsKeyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new KeysCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString().trim(), err.toString().trim());
    }

    @Test
    void generateWritesAPrivateKeyFileAndPrintsThePublicKey() throws Exception {
        Path a = dir.resolve("a.key");
        Run r = run("generate", "--out", a.toString());
        assertEquals(0, r.code(), r.err());
        BlsKeyPair keys = KeyFile.read(a);
        assertEquals(keys.publicKey().toHex(), r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));

        Run second = run("generate", "--out", dir.resolve("b.key").toString());
        assertNotEquals(r.out(), second.out(), "keys come from fresh randomness");

        Run again = run("generate", "--out", a.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(keys.publicKey(), KeyFile.read(a).publicKey(), "existing key untouched");
    }
}
