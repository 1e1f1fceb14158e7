package dev.cortado.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RssSamplerTest {
    private static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            VmPeak:\t 5048128 kB
            VmSize:\t 4979844 kB
            VmHWM:\t  696320 kB
            VmRSS:\t  524288 kB
            RssAnon:\t  480000 kB
            Threads:\t75
            """;

    @Test
    void readsResidentAndPeakFromProcStatus() {
        RssSampler.Status s = RssSampler.parse(STATUS);
        assertEquals(512.0, s.rssMiB());
        assertEquals(680.0, s.highWaterMiB());
    }

    @Test
    void missingOrMalformedLinesReadAsNaN() {
        RssSampler.Status none = RssSampler.parse("Name:\tjava\nThreads:\t3\n");
        assertTrue(Double.isNaN(none.rssMiB()) && Double.isNaN(none.highWaterMiB()));
        RssSampler.Status bad = RssSampler.parse("VmRSS:\t  12x kB\nVmHWM:\t 2048 MB\n");
        assertTrue(Double.isNaN(bad.rssMiB()), "not a number");
        assertTrue(Double.isNaN(bad.highWaterMiB()), "not in kB");
        // A prefix of another field's name is not the field.
        assertTrue(Double.isNaN(RssSampler.parse("VmRSSx:\t 1024 kB\n").rssMiB()));
    }

    @Test
    void thePeakIsTheKernelMarkButNeverBelowASample() {
        assertEquals(700.0, new RssSampler.Memory(500, 700, 650).peakMiB());
        assertEquals(720.0, new RssSampler.Memory(500, 700, 720).peakMiB());
        assertEquals(650.0, new RssSampler.Memory(500, Double.NaN, 650).peakMiB());
        assertEquals(700.0, new RssSampler.Memory(500, 700, Double.NaN).peakMiB());
        assertTrue(Double.isNaN(RssSampler.Memory.NONE.peakMiB()));
    }

    @Test
    void samplesALiveProcessAndSkipsAMissingOne() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try (RssSampler sampler = new RssSampler(Arrays.asList(sleeper, null), 20)) {
            Thread.sleep(100);
            List<RssSampler.Memory> memory = sampler.finish();
            RssSampler.Memory m = memory.get(0);
            assertTrue(m.endMiB() > 0 && m.sampledPeakMiB() > 0 && m.highWaterMiB() >= m.endMiB(), m.toString());
            assertEquals(RssSampler.Memory.NONE, memory.get(1));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
