package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.node.storage.TxLocation;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Four nodes with a DA committee of three (nodes 0..2), on real sockets: payloads come back from VID shares. */
class DataAvailabilityNetworkTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();
    private final JsonMapper json = JsonMapper.builder().build();

    private static TxLocation location(CortadoNode n, String hash) {
        return n.store().txLocation(HexFormat.of().parseHex(hash.substring(2))).orElse(null);
    }

    @Test
    void aNodeRebuildsPayloadsFromVidSharesWhenNoCommitteeMemberHoldsThem() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, false, 3)) {
            c.startAll();
            Map<String, String> sent = new HashMap<>();
            for (int i = 0; i < 24; i++) {
                long ns = 20 + i % 2;
                // Varied sizes so that payloads span several share symbols.
                byte[] payload = ("tx-" + i + "-" + "x".repeat(i * 37)).getBytes();
                sent.put(http.submit(c.nodes[i % 4], ns, payload), ns + ":" + HexFormat.of().formatHex(payload));
            }
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
                        () -> sent.keySet().stream().allMatch(h -> location(n, h) != null));
            }
            CortadoNode reader = c.nodes[3];
            TreeMap<Long, byte[]> originals = new TreeMap<>();
            for (String h : sent.keySet()) {
                long height = location(reader, h).height();
                // Node 3 decides from headers and hashes; the payload it fetched after the DA certificate may land later.
                Await.until("node 3 stored the payload of height " + height, Duration.ofSeconds(10),
                        () -> reader.store().payload(height).isPresent());
                originals.put(height, reader.store().payload(height).orElseThrow());
            }
            // No node keeps a payload any more: only blocks and VID shares are left.
            for (CortadoNode n : c.nodes) {
                n.wipePayloads();
                for (long h : originals.keySet()) {
                    assertTrue(n.store().payload(h).isEmpty());
                    assertTrue(n.store().vidShare(h).isPresent());
                }
            }

            Map<String, Integer> seen = new HashMap<>();
            for (long height : originals.keySet()) {
                BlockHeader header = json.readValue(http.get(reader, "/v0/block/" + height), BlockAnswer.class).header().toHeader();
                for (long ns = 20; ns <= 21; ns++) {
                    NamespaceAnswer answer = json.readValue(http.get(reader, "/v0/block/" + height + "/namespace/" + ns),
                            NamespaceAnswer.class);
                    // The light client's check: exactly the namespace's transactions under the header's payloadRoot.
                    for (Transaction tx : answer.toProof().verify(header)) {
                        seen.merge(ns + ":" + HexFormat.of().formatHex(tx.payload()), 1, Integer::sum);
                    }
                }
                assertArrayEquals(originals.get(height), reader.store().payload(height).orElseThrow(),
                        "rebuilt payload of height " + height + " is the decided one");
            }
            assertEquals(new java.util.TreeSet<>(sent.values()), new java.util.TreeSet<>(seen.keySet()));
            assertTrue(seen.values().stream().allMatch(v -> v == 1), seen::toString);
            assertEquals(originals.size(), (long) reader.da.rebuiltFromShares.count());
            assertEquals(0, (long) reader.da.fetchedFromCommittee.count());

            // A committee member that lost its payloads fetches them from a member that has them again.
            CortadoNode member = c.nodes[0];
            member.wipePayloads();
            long height = originals.firstKey();
            // Member 1 rebuilds it from shares (no member holds it) and keeps it; member 0 then fetches it from member 1.
            http.get(c.nodes[1], "/v0/block/" + height + "/namespace/20");
            assertEquals(1, (long) c.nodes[1].da.rebuiltFromShares.count());
            http.get(member, "/v0/block/" + height + "/namespace/20");
            assertArrayEquals(originals.get(height), member.store().payload(height).orElseThrow());
            assertEquals(1, (long) member.da.fetchedFromCommittee.count());
        }
    }

    @Test
    void blocksDecideThroughTheDaCommitteeWithOneMemberKeepingNoPayloads() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, false, 3)) {
            c.settings.set(1, c.settings.get(1).withKeepPayloads(false));
            c.startAll();
            Map<String, String> sent = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                long ns = 30 + i % 2;
                byte[] payload = ("da-" + i).getBytes();
                sent.put(http.submit(c.nodes[i % 4], ns, payload), ns + ":" + HexFormat.of().formatHex(payload));
            }
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
                        () -> sent.keySet().stream().allMatch(h -> location(n, h) != null));
            }
            // Exactly once, read through node 3, which is outside the committee and got proposals as shares.
            CortadoNode outside = c.nodes[3];
            Map<String, Integer> seen = new HashMap<>();
            for (long height = 1; height <= outside.store().latestHeight(); height++) {
                BlockHeader header = json.readValue(http.get(outside, "/v0/block/" + height), BlockAnswer.class).header().toHeader();
                for (long ns = 30; ns <= 31; ns++) {
                    for (Transaction tx : json.readValue(http.get(outside, "/v0/block/" + height + "/namespace/" + ns),
                            NamespaceAnswer.class).toProof().verify(header)) {
                        seen.merge(ns + ":" + HexFormat.of().formatHex(tx.payload()), 1, Integer::sum);
                    }
                }
            }
            assertEquals(new java.util.TreeSet<>(sent.values()), new java.util.TreeSet<>(seen.keySet()));
            assertTrue(seen.values().stream().allMatch(v -> v == 1), seen::toString);
            assertTrue(outside.daGate.sharesAccepted.count() > 0, "node 3 voted on proposals it got as a share");
            assertTrue(outside.daGate.certsAccepted.count() > 0, "node 3 gated on DA certificates");
            assertTrue(java.util.Arrays.stream(c.nodes).mapToDouble(n -> n.daGate.certsFormed.count()).sum() > 0);
            // The member without a payload store holds none, yet serves a namespace by fetching it from the committee.
            CortadoNode bare = c.nodes[1];
            long h = location(bare, sent.keySet().iterator().next()).height();
            assertTrue(bare.store().payload(h).isEmpty());
            assertTrue(bare.store().vidShare(h).isPresent());
            NamespaceAnswer a = json.readValue(http.get(bare, "/v0/block/" + h + "/namespace/30"), NamespaceAnswer.class);
            a.toProof().verify(json.readValue(http.get(bare, "/v0/block/" + h), BlockAnswer.class).header().toHeader());
            assertEquals(1, (long) bare.da.fetchedFromCommittee.count());
            assertTrue(bare.store().payload(h).isEmpty());
        }
    }
}
