package dev.cortado.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the resident memory of the benchmark's processes ({@code VmRSS} in {@code /proc/<pid>/status}) every
 * {@code periodMs} while a run goes on, and reads the kernel's own peak ({@code VmHWM}) at the end. The kernel's
 * peak is exact but covers the whole life of the process; the samples show the run and still work where a process
 * has no high-water mark (or it was reset).
 */
public final class RssSampler implements AutoCloseable {
    /** One process's memory in MiB: resident at the end, the kernel's peak, and the highest sample. */
    public record Memory(double endMiB, double highWaterMiB, double sampledPeakMiB) {
        static final Memory NONE = new Memory(Double.NaN, Double.NaN, Double.NaN);

        /** The peak resident size: the kernel's mark where there is one, never below a sample. */
        public double peakMiB() {
            if (Double.isNaN(highWaterMiB)) {
                return sampledPeakMiB;
            }
            return Double.isNaN(sampledPeakMiB) ? highWaterMiB : Math.max(highWaterMiB, sampledPeakMiB);
        }
    }

    /** {@code VmRSS} and {@code VmHWM} of one {@code /proc/<pid>/status} text, in MiB (NaN where a line is missing). */
    record Status(double rssMiB, double highWaterMiB) {
    }

    private final List<Process> processes;
    private final double[] peakMiB;
    private final ScheduledExecutorService timer;

    /** Starts sampling; a null entry (no broker in {@code direct} mode) is skipped and reports {@link Memory#NONE}. */
    RssSampler(List<Process> processes, long periodMs) {
        this.processes = new ArrayList<>(processes);
        this.peakMiB = new double[processes.size()];
        java.util.Arrays.fill(peakMiB, Double.NaN);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            double rss = p == null ? Double.NaN : read(p).rssMiB();
            if (!Double.isNaN(rss) && !(rss <= peakMiB[i])) {
                peakMiB[i] = rss;
            }
        }
    }

    /** Stops sampling and reads each process's end state; call while the processes still run. */
    synchronized List<Memory> finish() {
        timer.shutdownNow();
        sample();
        List<Memory> out = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (p == null) {
                out.add(Memory.NONE);
                continue;
            }
            Status end = read(p);
            out.add(new Memory(end.rssMiB(), end.highWaterMiB(), peakMiB[i]));
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private static Status read(Process p) {
        try {
            return parse(Files.readString(Path.of("/proc/" + p.pid() + "/status")));
        } catch (IOException | RuntimeException e) {
            // A process that has exited has no status file: nothing to sample.
            return new Status(Double.NaN, Double.NaN);
        }
    }

    /** Reads the {@code VmRSS:} and {@code VmHWM:} lines ({@code "VmRSS:   123456 kB"}); anything else is ignored. */
    static Status parse(String procStatus) {
        double rss = Double.NaN;
        double hwm = Double.NaN;
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kibToMiB(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kibToMiB(line);
            }
        }
        return new Status(rss, hwm);
    }

    private static double kibToMiB(String line) {
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
            return Double.NaN;
        }
        try {
            return Long.parseLong(f[0]) / 1024.0;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
