package dev.cortado.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** Reads a JFR file and counts execution samples by top frame and by the first Cortado frame. */
final class JfrSummary {
    private JfrSummary() {}

    static List<String> topFrames(Path jfr, int limit) {
        List<String> out = new ArrayList<>();
        if (!Files.exists(jfr)) {
            out.add("(no recording at " + jfr + ")");
            return out;
        }
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> cortado = new HashMap<>();
        Map<String, Integer> nodeCode = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        // The event thread is the serial path: a frame's share of its samples, counted once per stack (inclusive).
        Map<String, Integer> eventThread = new HashMap<>();
        int eventSamples = 0;
        int total = 0;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                        || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                total++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                top.merge(name(frames.getFirst()), 1, Integer::sum);
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
                if (thread.endsWith("-events")) {
                    eventSamples++;
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (RecordedFrame fr : frames) {
                        String n = name(fr);
                        if (n.startsWith("dev.cortado.") && !n.contains("$$Lambda") && seen.add(n)) {
                            eventThread.merge(n, 1, Integer::sum);
                        }
                    }
                }
                boolean cortadoSeen = false;
                for (RecordedFrame fr : frames) {
                    String n = name(fr);
                    if (!cortadoSeen && n.startsWith("dev.cortado.")) {
                        cortado.merge(n, 1, Integer::sum);
                        cortadoSeen = true;
                    }
                    if (n.startsWith("dev.cortado.node.")) {
                        nodeCode.merge(n, 1, Integer::sum);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            out.add("(cannot read " + jfr + ": " + e.getMessage() + ")");
            return out;
        }
        out.add(total + " samples. Top frames:");
        append(out, top, total, limit);
        out.add("Innermost Cortado frame on the stack:");
        append(out, cortado, total, limit);
        out.add("Innermost node-module frame on the stack (who calls the library code above):");
        append(out, nodeCode, total, limit);
        out.add("Samples by thread (pool members as N):");
        append(out, threads, total, limit);
        out.add("Event thread (" + eventSamples + " samples): Cortado frames on its stacks, inclusive:");
        append(out, eventThread, eventSamples, 2 * limit);
        return out;
    }

    private static void append(List<String> out, Map<String, Integer> counts, int total, int limit) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.add(String.format(Locale.ROOT, "  %5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
