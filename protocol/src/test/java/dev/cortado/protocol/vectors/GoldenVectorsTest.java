package dev.cortado.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenVectorsTest {
    static Path vectorsDir() {
        String root = System.getProperty("cortado.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = base; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("contracts/test/vectors"))) {
                return p.resolve("contracts/test/vectors");
            }
        }
        throw new IllegalStateException("contracts/test/vectors not found above " + base);
    }

    @Test
    void committedVectorsMatchTheGenerator(@TempDir Path tmp) throws IOException {
        GoldenVectors.main(new String[] {tmp.toString()});
        Path committed = vectorsDir();
        SortedMap<String, String> expected = GoldenVectors.render();
        for (String name : expected.keySet()) {
            Path file = committed.resolve(name);
            assertTrue(Files.exists(file), name + " is missing; regenerate with: " + GoldenVectors.REGENERATE);
            assertEquals(Files.readString(tmp.resolve(name), StandardCharsets.UTF_8),
                    Files.readString(file, StandardCharsets.UTF_8),
                    name + " drifted from the Java encodings; regenerate with: " + GoldenVectors.REGENERATE);
        }
        try (Stream<Path> files = Files.list(committed)) {
            Set<String> present = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toSet());
            assertEquals(expected.keySet(), present, "stale vector files; regenerate with: " + GoldenVectors.REGENERATE);
        }
    }
}
