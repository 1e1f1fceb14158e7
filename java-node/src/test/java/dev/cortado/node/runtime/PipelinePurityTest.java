package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block pipeline stays a pure state machine like the consensus core: no clock, randomness, threads, I/O or logging. */
class PipelinePurityTest {
    private static final List<String> SOURCES = List.of("BlockPipeline.java", "PipelineInput.java", "PipelineEffect.java",
            "BlockVerdict.java", "KnownBlock.java", "ChainView.java", "PendingBlocks.java", "BlockMarketCheck.java");
    private static final List<String> FORBIDDEN = List.of("System.currentTimeMillis", "System.nanoTime", "Instant.now",
            "NodeClock", "Clock.", "java.time", "Random", "Math.random", "Thread", "Executor", "CompletableFuture", "synchronized", "java.io.", "java.nio.",
            "java.net.", "System.out", "System.err", "org.slf4j", "NodeStore", "NodeNetwork", "PeerLink", "Transport");

    @Test
    void pipelineSourcesUseNoClockRandomnessThreadsOrIo() throws IOException {
        Path dir = Path.of("src/main/java/dev/cortado/node/runtime");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("java-node").resolve(dir);
        }
        List<String> violations = new ArrayList<>();
        for (String name : SOURCES) {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).strip();
                if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                    continue;
                }
                for (String token : FORBIDDEN) {
                    if (code.contains(token)) {
                        violations.add(name + ":" + (i + 1) + " uses " + token);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
