package dev.cortado.settlement.lightclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * In this package only the poster, its connection, the contract reader and the calldata converter
 * touch web3j; the reader's types, the trust model and the verifier stay web3j-free so a web3j upgrade
 * has four files to look at.
 */
class Web3jConfinementTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/cortado/settlement/lightclient");

    @Test
    void onlyThePosterItsConnectionTheReaderAndTheCalldataImportWeb3j() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the settlement module: " + SOURCES.toAbsolutePath());
        List<String> importing;
        try (Stream<Path> files = Files.list(SOURCES)) {
            importing = files.filter(f -> f.toString().endsWith(".java")).filter(Web3jConfinementTest::importsWeb3j)
                    .map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("LightClientCalldata.java", "LightClientContractReader.java", "LightClientPoster.java",
                "LightClientRpc.java"), importing);
    }

    private static boolean importsWeb3j(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("import org.web3j."));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
