package dev.cortado.node.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core stays a pure state machine: no clock, randomness, threads or I/O anywhere in its package. */
class CorePurityTest {
    private static final List<String> FORBIDDEN = List.of("System.currentTimeMillis", "System.nanoTime",
            "Instant.now", "LocalDateTime.now", "Clock.", "new Random", "ThreadLocalRandom", "SecureRandom",
            "Math.random", "Thread", "Executor", "CompletableFuture", "synchronized", "java.io.", "java.nio.",
            "java.net.", "System.out", "System.err", "org.slf4j");

    @Test
    void corePackageUsesNoClockRandomnessThreadsOrIo() throws IOException {
        Path root = Path.of(System.getProperty("cortado.root", "."));
        Path dir = root.resolve("java-node/src/main/java/dev/cortado/node/consensus");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("src/main/java/dev/cortado/node/consensus");
        }
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(dir)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                files++;
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    for (String token : FORBIDDEN) {
                        if (code.contains(token)) {
                            violations.add(source.getFileName() + ":" + (i + 1) + " uses " + token);
                        }
                    }
                }
            }
        }
        assertTrue(files >= 20, "found the core sources in " + dir);
        assertEquals(List.of(), violations);
    }
}
