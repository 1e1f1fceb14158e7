package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real-socket acceptance of issue 9: four validator processes, one of them Byzantine
 * ({@link FloodPeer}: a valid stake-table key that floods junk DA certificates, forged proposals and
 * timeout-vote spam for 15 s), and a broker process. The three honest nodes must keep deciding,
 * their heap must stay bounded (read from their own {@code /metrics}), and every transaction they
 * accepted must be decided exactly once (checked over the HTTP API only).
 */
class ByzantineProcessTest {
    private static final long FLOOD_MS = 15_000;
    private static final Pattern STORE_CACHE = Pattern.compile("^cortado_rocksdb_block_cache_usage_bytes(\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern MISBEHAVIOUR = Pattern.compile("^cortado_misbehaviour_total\\{kind=\"([a-z_]+)\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern REJECTED = Pattern.compile("^cortado_consensus_rejected_total(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir;
    private final JsonMapper json = JsonMapper.builder().build();

    private long height(ProcessCluster c, int i) {
        String s = c.get(i, "/v0/status");
        return s == null ? -1 : json.readTree(s).get("height").asLong();
    }

    private long minHeight(ProcessCluster c) {
        return Math.min(height(c, 0), Math.min(height(c, 1), height(c, 2)));
    }

    private static long heapBytes(String metrics) {
        double sum = 0;
        Matcher m = HEAP.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return (long) sum;
    }

    private static Map<String, Double> misbehaviour(String metrics) {
        Map<String, Double> out = new HashMap<>();
        Matcher m = MISBEHAVIOUR.matcher(metrics);
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    @Test
    void threeHonestProcessesKeepDecidingWhileAByzantineValidatorFloods() throws Exception {
        System.out.println("cluster dir: " + dir);
        try (ProcessCluster c = new ProcessCluster(dir, 4, "")) {
            c.startBroker();
            for (int i = 0; i < 3; i++) {
                c.startNode(i);
            }
            for (int i = 0; i < 3; i++) {
                c.awaitReady(i);
            }
            Await.until("three honest nodes deciding", Duration.ofSeconds(60), () -> minHeight(c) >= 3);

            Process flood = c.launchMain("flood", FloodPeer.class.getName(), Long.toString(ProcessCluster.CHAIN_ID), "3",
                    Integer.toString(c.p2pPorts[3]), Integer.toString(c.apiPorts[0]), Long.toString(FLOOD_MS), "4",
                    Integer.toString(c.brokerPort), Integer.toString(c.p2pPorts[0]), Integer.toString(c.p2pPorts[1]), Integer.toString(c.p2pPorts[2]));
            try {
                Await.until("flood peer on the mesh", Duration.ofSeconds(30), () -> c.logContains("flood", "FLOOD CONNECTED 3 +broker"));
                long heightAtFloodStart = minHeight(c);

                Map<String, String> accepted = new ConcurrentHashMap<>(); // payload hex -> hash
                AtomicLong peakHeap = new AtomicLong();
                long k = 0;
                while (!c.logContains("flood", "FLOOD DONE")) {
                    assertTrue(flood.isAlive() || c.logContains("flood", "FLOOD DONE"), c.log("flood"));
                    int node = (int) (k % 3);
                    String payload = HexFormat.of().formatHex(("byz-" + k).getBytes());
                    HttpResponse<String> r = c.post(node, "/v0/submit", "{\"namespace\": " + (1 + k % 3) + ", \"payload\": \"0x" + payload + "\"}");
                    if (r.statusCode() == 200) {
                        accepted.put(payload, json.readTree(r.body()).get("hash").asString());
                    }
                    if (k % 10 == 0) {
                        for (int i = 0; i < 3; i++) {
                            String m = c.get(i, "/metrics");
                            if (m != null) {
                                peakHeap.accumulateAndGet(heapBytes(m), Math::max);
                            }
                        }
                    }
                    k++;
                    // Load pacing (about 20 submissions a second during the flood), not a wait for a condition.
                    LockSupport.parkNanos(50_000_000);
                }
                long heightAtFloodEnd = minHeight(c);
                System.out.println(c.log("flood"));
                System.out.println("heights during the flood: " + heightAtFloodStart + " -> " + heightAtFloodEnd
                        + ", accepted " + accepted.size() + " of " + k + ", peak heap " + peakHeap.get() / (1 << 20) + " MiB");

                // Kept deciding under the flood.
                assertTrue(heightAtFloodEnd >= heightAtFloodStart + 4,
                        "decided only " + (heightAtFloodEnd - heightAtFloodStart) + " blocks during the flood");
                // Heap bounded: far below the 192 MiB limit the processes run with.
                assertTrue(peakHeap.get() > 0, "heap was measured");
                assertTrue(peakHeap.get() < (ProcessCluster.HEAP_MB << 20) * 3L / 4, "peak heap " + peakHeap.get());
                // The flood arrived and was refused for what it is.
                for (int i = 0; i < 3; i++) {
                    String metrics = c.get(i, "/metrics");
                    Map<String, Double> seen = misbehaviour(metrics);
                    Matcher rejected = REJECTED.matcher(metrics);
                    assertTrue(rejected.find(), "node " + i + " exports cortado_consensus_rejected_total");
                    // The core refuses the first forged timeout votes of each view, then ignores the sender's
                    // spam for that view without verifying (its ration is spent), so this stays small.
                    System.out.println("node " + i + " consensus rejections: " + rejected.group(1));
                    assertTrue(Double.parseDouble(rejected.group(1)) > 0, "node " + i + " refused the forged timeout votes");
                    // The store's native memory is on /metrics too (issue 10): its memtables are charged to the cache.
                    Matcher storeCache = STORE_CACHE.matcher(metrics);
                    assertTrue(storeCache.find() && Double.parseDouble(storeCache.group(2)) > 0, "node " + i + " RocksDB cache");
                    double daJunk = seen.getOrDefault("bad_da_cert", 0.0) + seen.getOrDefault("unknown_da_cert", 0.0);
                    double proposals = seen.getOrDefault("proposal_not_from_leader", 0.0)
                            + seen.getOrDefault("proposal_bad_signature", 0.0) + seen.getOrDefault("proposal_second_block", 0.0);
                    System.out.println("node " + i + " misbehaviour: " + seen);
                    assertTrue(daJunk > 1_000, "node " + i + " saw the junk DA certificates: " + seen);
                    assertTrue(seen.getOrDefault("bad_da_cert", 0.0) > 0, "junk certificates for real blocks were checked and refused");
                    // The junk relayed by the honest broker is charged to the Byzantine sender, not to the broker.
                    assertTrue(seen.getOrDefault("forged_sender", 0.0) >= 1, "node " + i + " refused the junk origin signatures");
                    // ...and never made the node drop the broker (a stall may make it suspect the broker for a while,
                    // which is the watch doing its job, but a penalty would be a Byzantine node evicting it).
                    assertTrue(!c.logContains("node" + i, "closing broker"), "node " + i + " dropped the honest broker");
                    assertTrue(proposals > 100, "node " + i + " refused the forged proposals: " + seen);
                }

                // Exactly once, over the HTTP API: every accepted transaction is found on every honest node...
                assertTrue(accepted.size() > 100, "load ran: " + accepted.size());
                for (String hash : accepted.values()) {
                    Await.until("tx " + hash + " decided", Duration.ofSeconds(60),
                            () -> c.get(0, "/v0/tx/" + hash) != null && c.get(1, "/v0/tx/" + hash) != null
                                    && c.get(2, "/v0/tx/" + hash) != null);
                }
                // ...and node 0's decided chain holds each of them once and nothing else.
                Map<String, Integer> decided = new HashMap<>();
                long top = height(c, 0);
                for (long h = 1; h <= top; h++) {
                    for (int ns = 1; ns <= 3; ns++) {
                        String body = c.get(0, "/v0/block/" + h + "/namespace/" + ns);
                        if (body == null) {
                            continue;
                        }
                        for (JsonNode tx : json.readTree(body).get("transactions")) {
                            String hex = tx.asString();
                            decided.merge(hex.startsWith("0x") ? hex.substring(2) : hex, 1, Integer::sum);
                        }
                    }
                }
                assertEquals(accepted.keySet(), decided.keySet(), "decided set differs from the accepted set");
                assertTrue(decided.values().stream().allMatch(v -> v == 1), "a transaction was decided twice");
            } finally {
                flood.destroyForcibly();
                flood.waitFor();
            }
        }
    }
}
