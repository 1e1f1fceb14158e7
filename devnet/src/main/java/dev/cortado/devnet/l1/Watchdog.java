package dev.cortado.devnet.l1;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a child command in a small shell that stops the child when this JVM disappears, even when
 * the JVM is killed with SIGKILL and shutdown hooks never run. The shell also forwards SIGTERM and
 * SIGINT to the child, so {@link Process#destroy()} stops both.
 */
final class Watchdog {
    private static final String SCRIPT = """
            parent="$1"; shift
            "$@" &
            child=$!
            trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT HUP
            while kill -0 "$child" 2>/dev/null; do
              if ! kill -0 "$parent" 2>/dev/null; then
                kill -TERM "$child" 2>/dev/null
                sleep 2
                kill -KILL "$child" 2>/dev/null
                exit 0
              fi
              sleep 0.5 & wait $!
            done
            wait "$child"
            """;

    private Watchdog() {}

    static List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("bash", "-c", SCRIPT, "cortado-watchdog",
                Long.toString(ProcessHandle.current().pid())));
        wrapped.addAll(command);
        return wrapped;
    }
}
