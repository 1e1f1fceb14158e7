package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeJvmTest {
    @Test
    void aNodeGetsABoundedHeapUnlessTheEnvironmentSaysOtherwise() {
        assertEquals(List.of("-Xmx320m"), NodeJvm.flags(Map.of()));
        assertEquals(List.of("-Xmx320m"), NodeJvm.flags(Map.of("CORTADO_NODE_OPTS", "  ")));
        assertEquals(List.of("-Xmx1g", "-XX:+UseZGC"), NodeJvm.flags(Map.of("CORTADO_NODE_OPTS", " -Xmx1g \t -XX:+UseZGC ")));
    }

    @Test
    void mallocArenasAreCappedUnlessAlreadyChosen() {
        Map<String, String> child = new HashMap<>();
        NodeJvm.limitArenas(child);
        assertEquals("2", child.get("MALLOC_ARENA_MAX"));
        Map<String, String> chosen = new HashMap<>(Map.of("MALLOC_ARENA_MAX", "8"));
        NodeJvm.limitArenas(chosen);
        assertEquals("8", chosen.get("MALLOC_ARENA_MAX"));
    }
}
