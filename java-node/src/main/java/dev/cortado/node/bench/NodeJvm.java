package dev.cortado.node.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a node process's JVM is started, the same way the {@code ./cortado node} launcher starts one: a bounded heap
 * ({@value #DEFAULT_OPTS}) unless {@value #OPTS_VARIABLE} gives other flags, and glibc held to
 * {@value #MALLOC_ARENAS} malloc arenas. Without the cap glibc adds arenas as threads contend for malloc, up to
 * eight per core, and each keeps the memory freed into it; a node runs dozens of threads (Netty, API workers,
 * RocksDB) that allocate natively.
 * See "Node memory (issue 10)" in docs/architecture.md.
 */
public final class NodeJvm {
    public static final String OPTS_VARIABLE = "CORTADO_NODE_OPTS";
    public static final String DEFAULT_OPTS = "-Xmx320m";
    static final String ARENA_VARIABLE = "MALLOC_ARENA_MAX";
    static final String MALLOC_ARENAS = "2";

    private NodeJvm() {
    }

    /** The JVM flags for a node: {@code CORTADO_NODE_OPTS} split on white space if it is set and not blank. */
    public static List<String> flags(Map<String, String> environment) {
        String opts = environment.get(OPTS_VARIABLE);
        String chosen = opts == null || opts.isBlank() ? DEFAULT_OPTS : opts.strip();
        return Arrays.asList(chosen.split("\\s+"));
    }

    /** Sets the malloc arena cap in a child's environment, unless the caller already chose one. */
    public static void limitArenas(Map<String, String> childEnvironment) {
        childEnvironment.putIfAbsent(ARENA_VARIABLE, MALLOC_ARENAS);
    }
}
