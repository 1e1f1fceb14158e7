package dev.cortado.protocol.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every benchmark report says about the machine it ran on. */
public final class Machine {
    private Machine() {}

    /** The CPU model from /proc/cpuinfo, or the architecture where that file is missing. */
    public static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return System.getProperty("os.arch");
        }
        try {
            return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cpuinfo, e);
        }
    }

    /** The 1-, 5- and 15-minute load averages, so a report on a shared machine says how busy it was. */
    public static String loadAverage() {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.isReadable(loadavg)) {
            return "unknown";
        }
        try {
            String[] f = Files.readString(loadavg).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + loadavg, e);
        }
    }
}
