package dev.cortado.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Solidity build script: clean sources compile, broken ones fail with solc's file:line message. */
class SolidityBuildTest {
    private static final Path CONTRACTS = Path.of(System.getProperty("cortado.root", "..")).resolve("contracts");

    @Test
    void aCompileErrorNamesFileAndLineAndFails(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Broken.sol"), """
                // SPDX-License-Identifier: Apache-2.0
                pragma solidity 0.8.30;
                contract Broken { function f() external { undefinedThing = 1; } }
                """);
        Result r = compile(dir.resolve("out"), src);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("Broken.sol:3:"), r.output());
        assertTrue(r.output().contains("Undeclared identifier"), r.output());
        assertTrue(r.output().contains("compilation failed"), r.output());
    }

    @Test
    void cleanSourcesProduceAbiAndBytecode(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Fine.sol"), """
                // SPDX-License-Identifier: Apache-2.0
                pragma solidity 0.8.30;
                contract Fine { function f() external pure returns (uint256) { return 7; } }
                """);
        Result r = compile(dir.resolve("out"), src);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.readString(dir.resolve("out/Fine.abi")).contains("\"name\":\"f\""));
        String bin = Files.readString(dir.resolve("out/Fine.bin"));
        assertTrue(bin.matches("[0-9a-f]+"), "bytecode is hex");
        // metadata: no CBOR trailer, so the runtime code ends without the 0xa1/0xa2 metadata map.
        assertTrue(!bin.contains("a264697066735822") && !bin.contains("a164736f6c6343"), "no metadata hash appended");
    }

    private record Result(int exitCode, String output) {}

    private static Result compile(Path out, Path src) throws Exception {
        Process p = new ProcessBuilder("node", CONTRACTS.resolve("scripts/compile.cjs").toString(), out.toString(), src.toString())
                .directory(CONTRACTS.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "solc finished");
        return new Result(p.exitValue(), output);
    }
}
