package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 5: a catch-up answer used to carry up to 64 full blocks whatever their size, so with large
 * blocks it exceeded the frame limit and a node that fell behind never caught up. Answers are now cut
 * to one frame and the requester keeps asking.
 */
class LargeBlockCatchUpTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();

    @Test
    void aLateNodeCatchesUpOnBlocksThatTogetherExceedOneFrame() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, false, 3)) {
            for (int i = 0; i < 3; i++) {
                c.start(i);
            }
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] payload = new byte[320 << 10];
                Arrays.fill(payload, (byte) i);
                hashes.add(http.submit(c.nodes[i % 3], 30 + i % 2, payload));
            }
            for (int i = 0; i < 3; i++) {
                CortadoNode n = c.nodes[i];
                Await.until("node " + i + " decided every tx", Duration.ofSeconds(60), () -> hasAll(n, hashes));
            }
            long chainBytes = 0;
            CortadoNode n0 = c.nodes[0];
            for (long h = 1; h <= n0.store().latestHeight(); h++) {
                chainBytes += n0.store().payload(h).map(p -> p.length).orElse(0);
            }
            int frameBytes = c.settings.get(3).maxFrameBytes();
            assertTrue(chainBytes > frameBytes, "the missed blocks (" + chainBytes + " bytes) exceed one frame (" + frameBytes + ")");
            CortadoNode late = c.start(3);
            Await.until("node 3 caught up on every large block", Duration.ofSeconds(60), () -> hasAll(late, hashes));
        }
    }

    private static boolean hasAll(CortadoNode n, List<String> hashes) {
        return hashes.stream().allMatch(h -> n.store().txLocation(HexFormat.of().parseHex(h.substring(2))).isPresent());
    }
}
