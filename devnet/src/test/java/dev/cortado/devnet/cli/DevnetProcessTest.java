package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.run.DevnetConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code cortado devnet} as its own process, as the launcher does (it execs the JVM), and checks
 * that a signal to it leaves no L1 or node process behind.
 */
class DevnetProcessTest {

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsTheWholeDevnet(String signal, @TempDir Path out) throws Exception {
        // A shell without job control starts background jobs with SIGINT ignored, and the JVM (rightly, as any
        // POSIX program) keeps a shutdown signal ignored that it inherited ignored; the devnet inherits it from here.
        Assumptions.assumeFalse(ignoredHere(signal), "SIG" + signal + " is ignored by this test process (started in the "
                + "background by a shell without job control), so a devnet started from it ignores it too");
        Process devnet = startDevnet(out, "--seconds-per-slot", "1");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = reader(devnet)) {
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("current slot")) {
                lines.add(line);
            }
            assertTrue(line != null, "devnet never became ready: " + lines);
            // Keep reading: a devnet whose output nobody reads blocks on a full pipe and cannot finish its shutdown.
            List<String> after = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread drain = new Thread(() -> reader.lines().forEach(after::add), "devnet-output");
            drain.setDaemon(true);
            drain.start();
            List<ProcessHandle> children = devnet.descendants().toList();
            assertFalse(children.isEmpty(), "the devnet runs child processes");
            new ProcessBuilder("kill", "-" + signal, Long.toString(devnet.pid())).start().waitFor();
            assertTrue(devnet.waitFor(30, TimeUnit.SECONDS), () -> "devnet exits after SIG" + signal + "; its output since: "
                    + String.join("\n", after.subList(Math.max(0, after.size() - 40), after.size())));
            dev.cortado.devnet.testing.Processes.awaitDead(children);
        } finally {
            devnet.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3s"})
    void durationEndsTheRunWithExitCodeZero(String duration, @TempDir Path out) throws Exception {
        Process devnet = startDevnet(out, "--duration", duration, "--seconds-per-slot", "1");
        String output;
        try (BufferedReader reader = reader(devnet)) {
            output = String.join("\n", reader.lines().toList());
        }
        assertTrue(devnet.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, devnet.exitValue(), output);
        assertTrue(output.contains("L1 RPC URL      http://127.0.0.1:"), output);
        assertTrue(output.contains("starting a broker and 5 nodes (epochs of " + DevnetConfig.DEFAULT_EPOCH_BLOCKS
                + " blocks; node 4 not registered yet)"), output);
        assertTrue(output.contains("epochs          " + DevnetConfig.DEFAULT_EPOCH_BLOCKS + " blocks"), output);
        assertTrue(output.contains("devnet stopped"), output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5s"})
    void aBadDurationIsOneClearLine(String duration, @TempDir Path out) throws Exception {
        Process devnet = startDevnet(out, "--duration", duration);
        String output;
        try (BufferedReader reader = reader(devnet)) {
            output = String.join("\n", reader.lines().toList());
        }
        assertTrue(devnet.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, devnet.exitValue(), output);
        assertTrue(output.contains("--duration"), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    private static Process startDevnet(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                "-Dcortado.root=" + dev.cortado.devnet.l1.ProjectPaths.root(),
                CortadoCli.class.getName(), "devnet", "--out", out.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Whether this process ignores {@code signal}: bit (n - 1) of SigIgn in /proc/self/status (Linux). */
    private static boolean ignoredHere(String signal) throws IOException {
        int number = switch (signal) {
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException(signal);
        };
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (number - 1) & 1) == 1;
            }
        }
        return false;
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
