package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.Transaction;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Four node processes and a broker process under a steady load: SIGKILL one node, SIGKILL the broker,
 * restart the node and watch it catch up, bring the broker back; then check that every accepted
 * transaction was decided exactly once and, from each node's persisted vote log and safety state,
 * that no node voted for two leaves in one view.
 */
class ProcessNetworkTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir;
  private final JsonMapper json = JsonMapper.builder().build();

  private long height(ProcessCluster c, int i) {
    String s = c.get(i, "/v0/status");
    return s == null ? -1 : json.readTree(s).get("height").asLong();
  }

  private JsonNode status(ProcessCluster c, int i) {
    String s = c.get(i, "/v0/status");
    return s == null ? null : json.readTree(s);
  }

  /** Submits unique transactions in namespaces 1..3 round-robin to the nodes marked alive. */
  private final class Load implements Runnable {
    final ProcessCluster c;
    final boolean[] alive;
    final Map<String, String> accepted = new ConcurrentHashMap<>(); // payload hex -> hash
    volatile boolean running = true;

    Load(ProcessCluster c) {
      this.c = c;
      this.alive = new boolean[c.n];
      java.util.Arrays.fill(alive, true);
    }

    @Override
    public void run() {
      long k = 0;
      while (running) {
        int node = (int) (k % c.n);
        if (alive[node]) {
          String payload = HexFormat.of().formatHex(("load-" + k).getBytes());
          try {
            HttpResponse<String> r = c.post(node, "/v0/submit", "{\"namespace\": " + (1 + k % 3) + ", \"payload\": \"0x" + payload + "\"}");
            if (r.statusCode() == 200) {
              accepted.put(payload, json.readTree(r.body()).get("hash").asString());
            }
          } catch (java.io.IOException e) {
            // the node died under us; the transaction was not accepted
          } catch (InterruptedException e) {
            return;
          }
        }
        k++;
        // Pacing of the load generator (about 100 submissions per second), not a wait for a condition.
        LockSupport.parkNanos(10_000_000);
      }
    }
  }

  private void awaitProgress(ProcessCluster c, String what, int... nodes) {
    long start = height(c, nodes[0]);
    Await.until(what, Duration.ofSeconds(60), () -> java.util.Arrays.stream(nodes).allMatch(i -> height(c, i) >= start + 3));
  }

  @Test
  void survivesNodeAndBrokerKillsAndTheRestartedNodeCatchesUp() throws Exception {
    System.out.println("cluster dir: " + dir);
    try (ProcessCluster c = new ProcessCluster(dir, 4, "")) {
      c.startBroker();
      for (int i = 0; i < 4; i++) {
        c.startNode(i);
      }
      for (int i = 0; i < 4; i++) {
        c.awaitReady(i);
      }
      Load load = new Load(c);
      Thread loader = new Thread(load, "load");
      loader.start();
      awaitProgress(c, "all four deciding", 0, 1, 2, 3);
      Await.until("nodes on the broker", () -> status(c, 0).get("broker").isString());

      load.alive[3] = false;
      c.kill(3);
      awaitProgress(c, "three nodes deciding after SIGKILL of node 3", 0, 1, 2);

      c.killBroker();
      Await.until("node 0 on direct sends", () -> status(c, 0).get("broker").isNull());
      awaitProgress(c, "deciding without the broker", 0, 1, 2);

      c.startNode(3);
      c.awaitReady(3);
      load.alive[3] = true;
      Await.until("node 3 caught up", Duration.ofSeconds(90), () -> height(c, 3) >= height(c, 0) - 2 && height(c, 3) > 0);
      awaitProgress(c, "all four deciding again", 0, 1, 2, 3);

      c.startBroker();
      Await.until("back on the broker", () -> status(c, 0).get("broker").isString());
      awaitProgress(c, "deciding through the broker again", 0, 3);

      load.running = false;
      loader.join();
      assertTrue(load.accepted.size() > 50, "load ran: " + load.accepted.size());
      for (String hash : load.accepted.values()) {
        Await.until("tx " + hash + " decided", Duration.ofSeconds(60),
            () -> c.get(0, "/v0/tx/" + hash) != null && c.get(3, "/v0/tx/" + hash) != null);
      }
      for (int i = 0; i < 4; i++) {
        c.stop(i);
      }
      checkChains(load.accepted);
    }
  }

  private void checkChains(Map<String, String> accepted) {
    byte[][] reference = null;
    for (int i = 0; i < 4; i++) {
      try (NodeStore store = new NodeStore(dir.resolve("data" + i))) {
        // Exactly once: every accepted payload appears once in the decided chain, nothing else appears.
        Map<String, Integer> seen = new HashMap<>();
        long latest = store.latestHeight();
        byte[][] commitments = new byte[(int) latest + 1][];
        for (long from = 1; from <= latest; from += 512) {
          for (DecidedBlock b : store.decidedRange(from, 512)) {
            commitments[(int) b.height()] = b.commitment();
            WireReader r = new WireReader(store.payload(b.height()).orElseThrow());
            BlockPayload p = BlockPayload.parse(r.bytes("ns", Integer.MAX_VALUE), r.bytes("payload", Integer.MAX_VALUE));
            for (Transaction tx : p.allTransactions()) {
              seen.merge(HexFormat.of().formatHex(tx.payload()), 1, Integer::sum);
            }
          }
        }
        assertEquals(accepted.keySet(), seen.keySet(), "node " + i + ": decided set differs from the accepted set");
        assertTrue(seen.values().stream().allMatch(v -> v == 1), "node " + i + " decided a transaction twice");
        if (reference == null) {
          reference = commitments;
        }
        for (int h = 1; h < Math.min(reference.length, commitments.length); h++) {
          assertArrayEquals(reference[h], commitments[h], "node " + i + " diverges at height " + h);
        }
        // No two different quorum votes in one view, across the kill and restart.
        Map<Long, String> votedFor = new HashMap<>();
        long maxVoted = 0;
        List<NodeStore.VoteRecord> votes = store.votes();
        assertTrue(votes.size() > 3, "node " + i + " voted");
        for (NodeStore.VoteRecord v : votes) {
          maxVoted = Math.max(maxVoted, v.view());
          if (v.kind() == NodeStore.VoteRecord.QUORUM) {
            String leaf = HexFormat.of().formatHex(v.commitment());
            String previous = votedFor.putIfAbsent(v.view(), leaf);
            assertTrue(previous == null || previous.equals(leaf), "node " + i + " voted twice in view " + v.view());
          }
        }
        long persisted = store.readSafety().orElseThrow().highestVotedView();
        assertNotNull(persisted);
        assertTrue(persisted >= maxVoted, "node " + i + ": persisted safety view " + persisted + " below a sent vote " + maxVoted);
      }
    }
  }
}
