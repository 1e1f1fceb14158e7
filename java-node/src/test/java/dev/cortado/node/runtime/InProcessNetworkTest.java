package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.node.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Four nodes and a broker in one JVM, on real sockets, deciding transactions submitted over HTTP. */
class InProcessNetworkTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  private String submit(CortadoNode node, long ns, byte[] payload) throws Exception {
    String body = "{\"namespace\": " + ns + ", \"payload\": \"0x" + HexFormat.of().formatHex(payload) + "\"}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiAddress().getPort()
        + "/v0/submit")).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return json.readTree(r.body()).get("hash").asString();
  }

  private String get(CortadoNode node, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiAddress().getPort()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void fourNodesDecideTransactionsFromThreeNamespacesExactlyOnce() throws Exception {
    try (LocalCluster c = new LocalCluster(4, dir, true)) {
      c.startAll();
      List<String> hashes = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        long ns = 10 + i % 3;
        hashes.add(submit(c.nodes[i % 4], ns, ("tx-" + i).getBytes()));
      }
      for (CortadoNode n : c.nodes) {
        Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
            () -> hashes.stream().allMatch(h -> n.store().txLocation(HexFormat.of().parseHex(h.substring(2))).isPresent()));
      }
      // Exactly once: count every transaction in node 0's decided chain.
      CortadoNode n0 = c.nodes[0];
      Map<String, Integer> seen = new HashMap<>();
      long height = n0.store().latestHeight();
      for (DecidedBlock b : n0.store().decidedRange(1, (int) height)) {
        BlockAnswer block = json.readValue(get(n0, "/v0/block/" + b.height()), BlockAnswer.class);
        BlockHeader header = block.header().toHeader();
        assertEquals(block.commitment(), header.commitment(LocalCluster.CHAIN_ID).toHex());
        for (long ns = 10; ns <= 12; ns++) {
          NamespaceAnswer answer = json.readValue(get(n0, "/v0/block/" + b.height() + "/namespace/" + ns),
              NamespaceAnswer.class);
          // The light client's own check: the transactions are exactly the namespace's under payloadRoot.
          for (Transaction tx : answer.toProof().verify(header)) {
            seen.merge(ns + ":" + HexFormat.of().formatHex(tx.payload()), 1, Integer::sum);
          }
        }
      }
      assertEquals(60, seen.size(), seen::toString);
      assertTrue(seen.values().stream().allMatch(v -> v == 1), seen::toString);
      long namespaces = seen.keySet().stream().map(k -> k.split(":")[0]).distinct().count();
      assertEquals(3, namespaces);
      // Same chain everywhere, and every node persisted a voted view.
      long common = java.util.Arrays.stream(c.nodes).mapToLong(n -> n.store().latestHeight()).min().orElseThrow();
      for (CortadoNode n : c.nodes) {
        for (long h = 1; h <= common; h++) {
          assertArrayEquals(n0.store().decided(h).orElseThrow().commitment(), n.store().decided(h).orElseThrow().commitment());
        }
        assertTrue(n.store().readSafety().orElseThrow().highestVotedView() > 0);
      }
      assertTrue(c.broker.relayedCount() > 0, "traffic went through the broker");
      // A transaction by hash, with a proof the light client verifies against the header.
      TransactionAnswer tx = json.readValue(get(n0, "/v0/tx/" + hashes.get(7)), TransactionAnswer.class);
      BlockAnswer at = json.readValue(get(n0, "/v0/block/" + tx.height()), BlockAnswer.class);
      assertArrayEquals("tx-7".getBytes(), tx.toProof().verify(at.header().toHeader()).payload());
    }
  }
}
