package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.da.ShareValidator;
import dev.cortado.node.da.StoredShare;
import dev.cortado.node.storage.TxLocation;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * VID share counts and holders follow each block's epoch (issue 14) on real sockets and RocksDB: five nodes, 0, 1
 * and 2 configured with {@code da}. Index 4 has no stake in epoch 0 and stake from epoch 1; index 1 (a DA member)
 * has none in epoch 1; epoch 2 stakes all five. So epoch 0's blocks have 4 shares (index 4 holds none), epoch 1's
 * have 4 with the joiner at position 3 and the exiter holding none, and epoch 2's have 5. Every node's stored share
 * is checked against that, then every payload is wiped and blocks of each epoch are rebuilt from the holders'
 * shares by the joiner and the exiter.
 */
class EpochSharesNetworkTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final long[][] WEIGHTS = {{1, 1, 1, 1, 0}, {1, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};
    private static final int EXITER = 1;
    private static final int JOINER = 4;
    private static final long NS = 44;

    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();
    private final JsonMapper json = JsonMapper.builder().build();

    private static long[] weights(long epoch) {
        return WEIGHTS[(int) Math.min(epoch, WEIGHTS.length - 1)];
    }

    static Optional<EpochTable> table(long epoch) {
        return Optional.of(EpochTable.everyMemberDa(StakeWeights.ofEpoch(weights(epoch)), Keccak.hash(
                "epoch-shares-network-test/table".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(epoch))));
    }

    /** The expected rule, written out: the rank of {@code node} among the staked indices of the epoch, or -1. */
    private static int rank(long epoch, int node) {
        long[] w = weights(epoch);
        if (w[node] == 0) {
            return -1;
        }
        int r = 0;
        for (int i = 0; i < node; i++) {
            r += w[i] > 0 ? 1 : 0;
        }
        return r;
    }

    private static int holders(long epoch) {
        return (int) Arrays.stream(weights(epoch)).filter(x -> x > 0).count();
    }

    private static TxLocation location(CortadoNode n, String hash) {
        return n.store().txLocation(HexFormat.of().parseHex(hash.substring(2))).orElse(null);
    }

    @Test
    void sharesFollowTheEpochAndBlocksOfEveryEpochAreRebuiltFromTheirHolders() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, false, false, WEIGHTS[0], new Boolean[] {true, true, true, false, false})) {
            c.epochs = Epochs.of(SCHEDULE, EpochSharesNetworkTest::table);
            // Transactions reach node 0's mempool before the others start, so the first blocks (epoch 0) carry some.
            c.start(0);
            TreeMap<Long, String> txByEpoch = new TreeMap<>();
            String first = http.submit(c.nodes[0], NS, "epoch-0-tx".getBytes());
            for (int i = 1; i < c.nodes.length; i++) {
                c.start(i);
            }
            Await.until("the first transaction is decided", Duration.ofSeconds(30), () -> location(c.nodes[0], first) != null);
            txByEpoch.put(SCHEDULE.epochOf(location(c.nodes[0], first).height()), first);
            // One transaction at a time until one was decided in each of epochs 0, 1 and 2.
            for (int i = 0; !txByEpoch.keySet().containsAll(java.util.List.of(0L, 1L, 2L)); i++) {
                CortadoNode to = c.nodes[i % c.nodes.length];
                String hash = http.submit(to, NS, ("tx-" + i + "-" + "z".repeat(40 * (i % 7))).getBytes());
                Await.until("tx " + i + " is decided", Duration.ofSeconds(30), () -> location(to, hash) != null);
                long epoch = SCHEDULE.epochOf(location(to, hash).height());
                txByEpoch.putIfAbsent(epoch, hash);
                if (epoch > 2 && !txByEpoch.keySet().containsAll(java.util.List.of(0L, 1L, 2L))) {
                    throw new AssertionError("no transaction was decided in one of epochs 0..2: " + txByEpoch.keySet());
                }
            }
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every transaction", Duration.ofSeconds(30),
                        () -> txByEpoch.values().stream().allMatch(h -> location(n, h) != null));
            }
            long target = Arrays.stream(c.nodes).mapToLong(CortadoNode::height).min().orElseThrow();
            assertTrue(target >= SCHEDULE.firstHeight(2), "every node reached epoch 2: " + target);

            ShareValidator validator = new ShareValidator();
            int[] withoutShare = new int[3];
            for (long h = 1; h <= target; h++) {
                long epoch = SCHEDULE.epochOf(h);
                BlockHeader header = BlockHeader.decode(c.nodes[0].store().decided(h).orElseThrow().header());
                for (CortadoNode n : c.nodes) {
                    Optional<byte[]> record = n.store().vidShare(h);
                    int rank = rank(epoch, n.index());
                    if (rank < 0) {
                        assertTrue(record.isEmpty(), "node " + n.index() + " holds no share of epoch " + epoch + " (height " + h + ")");
                        withoutShare[(int) Math.min(epoch, 2)]++;
                        continue;
                    }
                    assertTrue(record.isPresent(), "node " + n.index() + " stored its share of height " + h);
                    StoredShare s = StoredShare.decode(DataAvailability.parseShareRecord(record.get())[1]);
                    assertEquals(holders(epoch), s.commitment().shareCount(), "share count of height " + h);
                    assertEquals(rank, s.share().index(), "node " + n.index() + "'s position at height " + h);
                    assertEquals(Optional.empty(), validator.problem(header, holders(epoch), rank, s), "height " + h);
                }
            }
            assertTrue(withoutShare[0] > 0 && withoutShare[1] > 0, "the joiner in epoch 0 and the exiter in epoch 1");
            assertEquals(0, withoutShare[2], "everyone holds a share in epoch 2");

            TreeMap<Long, byte[]> originals = new TreeMap<>();
            for (String hash : txByEpoch.values()) {
                long height = location(c.nodes[0], hash).height();
                Await.until("node 0 stored the payload of height " + height, Duration.ofSeconds(10),
                        () -> c.nodes[0].store().payload(height).isPresent());
                originals.put(height, c.nodes[0].store().payload(height).orElseThrow());
            }
            for (CortadoNode n : c.nodes) {
                n.wipePayloads();
            }
            // The joiner rebuilds a block of each epoch (in epoch 0 without a share of its own); the exiter the one of
            // its exit epoch, where it holds none either.
            for (long height : originals.keySet()) {
                readAndCheck(c.nodes[JOINER], height, originals.get(height));
            }
            assertEquals(originals.size(), (long) c.nodes[JOINER].da.rebuiltFromShares.count());
            assertEquals(0, (long) c.nodes[JOINER].da.fetchedFromCommittee.count(), "no member held a payload");
            long exitEpochHeight = location(c.nodes[0], txByEpoch.get(1L)).height();
            readAndCheck(c.nodes[EXITER], exitEpochHeight, originals.get(exitEpochHeight));
            assertEquals(1, (long) c.nodes[EXITER].da.rebuiltFromShares.count());
            System.out.println("EpochSharesNetworkTest: decided to " + target + ", rebuilt heights " + originals.keySet()
                    + " (epochs " + txByEpoch.keySet() + ")");
        }
    }

    /** Reads a namespace of {@code height} through {@code reader}'s API, which must rebuild the wiped payload. */
    private void readAndCheck(CortadoNode reader, long height, byte[] original) throws Exception {
        BlockHeader header = json.readValue(http.get(reader, "/v0/block/" + height), BlockAnswer.class).header().toHeader();
        NamespaceAnswer answer = json.readValue(http.get(reader, "/v0/block/" + height + "/namespace/" + NS),
                NamespaceAnswer.class);
        java.util.List<Transaction> txs = answer.toProof().verify(header);
        assertTrue(!txs.isEmpty(), "height " + height + " carries our transactions");
        assertArrayEquals(original, reader.store().payload(height).orElseThrow(), "node " + reader.index()
                + " rebuilt the decided payload of height " + height);
    }
}
