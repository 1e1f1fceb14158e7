package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.submit.Submission;
import dev.cortado.lightclient.submit.SubmitClient;
import dev.cortado.lightclient.submit.SubmitOutcome;
import dev.cortado.node.config.NodeConfig;
import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node built the way {@code cortado node} builds it (node.toml → {@link NodeConfig} → {@link NodeSettings#from})
 * refuses client submissions at the configured {@code max_backlog_blocks}, not at the default. It is one of four
 * peers and runs alone, so nothing is decided and the backlog only grows.
 */
class NodeBacklogWiringTest {
    private static final int TX_BYTES = 100_000;
    private static final int PER_BATCH = 10;
    /** One batch's block bytes: each transaction also takes a 4-byte length prefix. */
    private static final long BATCH_BYTES = PER_BATCH * (TX_BYTES + 4L);

    private static String toml(int backlogBlocks) {
        int[] ports = {LoopbackPorts.pick(), LoopbackPorts.pick(), LoopbackPorts.pick(), LoopbackPorts.pick()};
        StringBuilder s = new StringBuilder("""
                [node]
                key_file = "unused.key"
                data_dir = "data"
                listen = "127.0.0.1:%d"
                api = "127.0.0.1:0"

                [chain]
                chain_id = 4242
                max_block_bytes = 1048576

                [network]
                use_brokers = false

                [mempool]
                max_backlog_blocks = %d
                """.formatted(ports[0], backlogBlocks));
        for (int i = 0; i < 4; i++) {
            s.append("\n[[peers]]\npublic_key = \"").append(TestKeys.keyPair(i).publicKey().toHex())
                    .append("\"\naddress = \"127.0.0.1:").append(ports[i]).append("\"\n");
        }
        return s.toString();
    }

    private static List<Submission> batch(int b) {
        List<Submission> out = new ArrayList<>();
        for (int i = 0; i < PER_BATCH; i++) {
            byte[] p = new byte[TX_BYTES];
            p[0] = (byte) b;
            p[1] = (byte) (b >> 8);
            p[2] = (byte) i;
            out.add(new Submission(1 + i % 3, p));
        }
        return out;
    }

    @Test
    void theConfiguredBacklogBlocksAreWhatTheNodeEnforces(@TempDir Path dir) throws Exception {
        // 10 blocks of 1 MiB: above the 8 MiB floor, so a node that ignored the setting would refuse two batches earlier.
        NodeConfig config = NodeConfig.parse(toml(10), dir);
        long limit = 10L << 20;
        try (CortadoNode node = new CortadoNode(NodeSettings.from(config, TestKeys.keyPair(0)))) {
            node.start();
            URI base = URI.create("http://127.0.0.1:" + node.apiAddress().getPort());
            SubmitClient client = new SubmitClient(base, HttpClient.newHttpClient(), Duration.ofSeconds(30),
                    SubmitClient.DEFAULT_MAX_BODY_BYTES);
            int acceptedBatches = 0;
            List<SubmitOutcome> refused = null;
            for (int b = 0; b < 20 && refused == null; b++) {
                List<SubmitOutcome> out = client.submit(batch(b));
                if (out.getFirst() instanceof SubmitOutcome.Backlogged) {
                    refused = out;
                } else {
                    out.forEach(o -> assertInstanceOf(SubmitOutcome.Accepted.class, o));
                    acceptedBatches++;
                }
            }
            // Batches are taken while the backlog is under the limit; the one that crosses it is the last taken.
            assertEquals(limit / BATCH_BYTES + 1, acceptedBatches);
            assertTrue(refused != null && refused.stream().allMatch(o -> o instanceof SubmitOutcome.Backlogged), "refused whole");
            SubmitOutcome.Backlogged first = (SubmitOutcome.Backlogged) refused.getFirst();
            assertTrue(first.detail().contains("limit of " + limit + " bytes"), first.detail());
            assertEquals(Duration.ofSeconds(1), first.retryAfter());
            assertEquals(acceptedBatches * PER_BATCH, mempoolTransactions(base), "nothing of the refused batch is pending");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("cortado_submit_backlog_refused_total 1.0"), "the node's own /metrics counts it");
        }
    }

    private static int mempoolTransactions(URI base) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/v0/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).get("mempoolTransactions").asInt();
    }
}
