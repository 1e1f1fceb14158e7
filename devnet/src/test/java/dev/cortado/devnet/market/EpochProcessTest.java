package dev.cortado.devnet.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.devnet.testing.Await;
import dev.cortado.node.config.KeyFile;
import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Hex;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14's process test: five {@code cortado node} JVMs (real sockets, RocksDB, node.toml with {@code [l1]} and
 * {@code [epochs]}) over a real Anvil. Index 4 is a peer without stake. Node 3, a genesis validator, is SIGKILLed;
 * while it is down index 4 registers on StakeTable.sol, so a later epoch's table has five members and a new
 * commitment, and the others pass that handover and the next. Restarted on the same data directory, node 3 must
 * catch up through handovers it never saw (checking each against its own L1 follower's table), serve the same
 * block commitments as the others, decide new blocks and sign QCs again, at its index in the new table.
 */
class EpochProcessTest {
    private static final long CHAIN_ID = 0xE90C;
    private static final long STAKE = DevnetValidators.STAKE_GWEI;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final int NODES = 5;
    private static final int JOINER = 4;
    private static final int RESTARTED = 3;
    private static final long L1_BLOCK_MS = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process[] processes = new Process[NODES];
    private final int[] apiPorts = new int[NODES];
    private Path dir;

    @Test
    void aNodeKilledBeforeAHandoverCatchesUpThroughItAndVotesInTheNewTable(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp) throws Exception {
        // Kept when the test fails: each node's log (nodeI.log) is there.
        dir = tmp;
        System.out.println("EpochProcessTest: node configs, data and logs in " + dir);
        List<BlsKeyPair> keys = IntStream.range(0, NODES).mapToObj(i -> DevnetValidators.keyPair(500 + i)).toList();
        List<StakeEntry> genesisEntries = new ArrayList<>();
        for (int i = 0; i < JOINER; i++) genesisEntries.add(new StakeEntry(keys.get(i).publicKey(), STAKE, true));
        StakeTable genesis = StakeTable.of(genesisEntries);
        ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "anvil-miner"));
        L1Devnet l1 = L1Devnet.startAnvil();
        try {
            run(l1, keys, genesis, miner);
        } finally {
            // The nodes before Anvil, so no follower polls a closed L1.
            miner.shutdownNow();
            try {
                for (int i = 0; i < NODES; i++) kill(i);
            } finally {
                l1.close();
            }
        }
    }

    private void run(L1Devnet l1, List<BlsKeyPair> keys, StakeTable genesis, ScheduledExecutorService miner)
            throws Exception {
        Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(
                l1.latestTimestampSec(), 12, CHAIN_ID, genesis.commitment(), List.of(), l1.accounts().get(9).getAddress()));
        StakeTableOnAnvil contract = new StakeTableOnAnvil(l1, d.stakeTable().address());
        for (int i = 0; i < JOINER; i++) contract.register(l1.accounts().get(1 + i), keys.get(i), STAKE, true);
        // Anvil mines only on a transaction; a steady clock moves the followers and so the decided l1Heads.
        miner.scheduleAtFixedRate(() -> {
            try {
                l1.mine();
            } catch (RuntimeException e) {
                System.err.println("EpochProcessTest: evm_mine failed: " + e.getMessage());
            }
        }, L1_BLOCK_MS, L1_BLOCK_MS, TimeUnit.MILLISECONDS);
        writeConfigs(keys, NodeL1Config.toml(d, 1));
        for (int i = 0; i < NODES; i++) start(i);
        Await.until("every node decided height 2", 60_000, () -> allAt(IntStream.range(0, NODES), 2), this::heights);

        kill(RESTARTED);
        List<Integer> live = IntStream.range(0, NODES).filter(i -> i != RESTARTED).boxed().toList();
        long othersAtKill = live.stream().mapToLong(this::height).max().orElseThrow();
        long registeredAt = contract.register(l1.accounts().get(1 + JOINER), keys.get(JOINER), STAKE, false);
        String joinerKey = keys.get(JOINER).publicKey().toHex();
        long[] joinEpoch = {-1};
        Await.until("the others decided a handover to a table holding the joiner", 40_000, () -> {
            joinEpoch[0] = firstEpochNaming(0, joinerKey).orElse(-1);
            return joinEpoch[0] > 0;
        }, this::heights);
        // The joiner's epoch reads a snapshot block proposed after the registration, so after the kill.
        assertTrue(othersAtKill + 1 < SCHEDULE.firstHeight(joinEpoch[0]), "killed near height " + othersAtKill
                + ", the joiner's table starts at " + SCHEDULE.firstHeight(joinEpoch[0]));
        long passed = SCHEDULE.firstHeight(joinEpoch[0] + 1) + 1;
        Await.until("the others passed the join handover and the next", 40_000,
                () -> allAt(live.stream().mapToInt(Integer::intValue), passed), this::heights);
        assertNotEquals(table(0, joinEpoch[0] - 1), table(0, joinEpoch[0]), "the joiner's epoch changed the table");

        long othersAtRestart = live.stream().mapToLong(this::height).max().orElseThrow();
        start(RESTARTED);
        long target = othersAtRestart + SCHEDULE.epochBlocks();
        Await.until("the restarted node caught up and decided new blocks", 60_000,
                () -> height(RESTARTED) >= target, this::heights);
        long top = Math.min(height(RESTARTED), height(0));
        for (long h = 1; h <= top; h++) {
            assertEquals(commitment(0, h), commitment(RESTARTED, h), "block " + h + " on node 0 and the restarted node");
        }
        String restartedKey = keys.get(RESTARTED).publicKey().toHex();
        long[] signedAt = {-1};
        Await.until("a QC after the restart signed by the restarted node", 30_000, () -> {
            signedAt[0] = signedAbove(othersAtRestart, restartedKey).orElse(-1);
            return signedAt[0] > 0;
        }, this::heights);
        assertTrue(SCHEDULE.epochOf(signedAt[0]) > joinEpoch[0], "signed in epoch " + SCHEDULE.epochOf(signedAt[0]));
        System.out.println("EpochProcessTest: node " + RESTARTED + " killed near height " + othersAtKill + " (epoch "
                + SCHEDULE.epochOf(othersAtKill) + "), joiner registered at L1 block " + registeredAt + " and in the table"
                + " from epoch " + joinEpoch[0] + ", restarted at height " + othersAtRestart + ", caught up to " + top
                + ", signed the QC of height " + signedAt[0]);
    }

    /** One key file and one node.toml per node; index 4 is a peer without stake, outside the DA committee. */
    private void writeConfigs(List<BlsKeyPair> keys, String l1Toml) throws IOException {
        int[] p2pPorts = new int[NODES];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            p2pPorts[i] = LoopbackPorts.pick();
            apiPorts[i] = LoopbackPorts.pick();
            KeyFile.write(dir.resolve("node" + i + ".key"), keys.get(i));
            peers.append("[[peers]]\npublic_key = \"").append(keys.get(i).publicKey().toHex()).append("\"\naddress = \"127.0.0.1:")
                    .append(p2pPorts[i]).append("\"\n").append(i == JOINER ? "stake_gwei = 0\nda = false\n"
                            : "stake_gwei = " + STAKE + "\n").append('\n');
        }
        for (int i = 0; i < NODES; i++) {
            Files.writeString(dir.resolve("node" + i + ".toml"), "[node]\nkey_file = \"node" + i + ".key\"\ndata_dir = \"data"
                    + i + "\"\nlisten = \"127.0.0.1:" + p2pPorts[i] + "\"\napi = \"127.0.0.1:" + apiPorts[i] + "\"\n\n[chain]\n"
                    + "chain_id = " + CHAIN_ID + "\nbase_timeout_ms = 1000\nmax_timeout_ms = 4000\n\n[network]\n"
                    + "use_brokers = false\n\n[epochs]\nblocks = " + SCHEDULE.epochBlocks() + "\nsnapshot_lead_blocks = "
                    + SCHEDULE.snapshotLeadBlocks() + "\n\n" + l1Toml + "\n" + peers);
        }
    }

    /** {@code cortado node --config nodeI.toml} as its own JVM, appending to nodeI.log. */
    private void start(int i) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.cortado.node.cli.NodeMain", "node", "--config", "node" + i + ".toml");
        processes[i] = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node" + i + ".log").toFile())).start();
    }

    /** SIGKILL: no shutdown hook runs and RocksDB is not closed. */
    private void kill(int i) throws InterruptedException {
        Process p = processes[i];
        if (p == null) return;
        processes[i] = null;
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node " + i + " outlived SIGKILL");
    }

    private boolean allAt(IntStream nodes, long height) {
        return nodes.allMatch(i -> height(i) >= height);
    }

    /** The node's decided height from {@code /v0/status}, or -1 while it does not answer. */
    private long height(int i) {
        return get(i, "/v0/status").map(s -> s.get("height").asLong()).orElse(-1L);
    }

    private String commitment(int i, long height) {
        return get(i, "/v0/block/" + height).orElseThrow(() -> new AssertionError("node " + i + " has no block " + height))
                .get("commitment").asString();
    }

    /** The first epoch after genesis whose table, as node {@code i} serves it, holds {@code key}. */
    private OptionalLong firstEpochNaming(int i, String key) {
        for (long e = 1; ; e++) {
            Optional<JsonNode> answer = get(i, "/v0/epoch/" + e);
            if (answer.isEmpty()) return OptionalLong.empty();
            if (indexIn(answer.get(), key).isPresent()) return OptionalLong.of(e);
        }
    }

    private JsonNode table(int i, long epoch) {
        return get(i, "/v0/epoch/" + epoch).orElseThrow(() -> new AssertionError("no epoch " + epoch)).get("table");
    }

    private static OptionalLong indexIn(JsonNode epochAnswer, String key) {
        JsonNode table = epochAnswer.get("table");
        for (int k = 0; k < table.size(); k++) {
            if (table.get(k).get("publicKey").asString().equalsIgnoreCase(key)) return OptionalLong.of(k);
        }
        return OptionalLong.empty();
    }

    /**
     * The lowest height above {@code above} whose light-client certificate (its QC, as node 0 serves it) has
     * {@code key}'s bit set, at the key's index in the table of that height's epoch.
     */
    private OptionalLong signedAbove(long above, String key) {
        long top = height(0);
        for (long h = above + 1; h <= top; h++) {
            Optional<JsonNode> lc = get(0, "/v0/light-client/" + h);
            Optional<JsonNode> epoch = get(0, "/v0/epoch/" + SCHEDULE.epochOf(h));
            if (lc.isEmpty() || epoch.isEmpty()) continue;
            OptionalLong index = indexIn(epoch.get(), key);
            byte[] signers = Hex.decode(lc.get().get("certificate").get("signers").asString());
            if (index.isPresent() && index.getAsLong() / 8 < signers.length
                    && (signers[(int) (index.getAsLong() / 8)] >> (index.getAsLong() % 8) & 1) == 1) {
                return OptionalLong.of(h);
            }
        }
        return OptionalLong.empty();
    }

    /** GET on node {@code i}'s API: the JSON of a 200 answer, empty when the node is down or answers otherwise. */
    private Optional<JsonNode> get(int i, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[i] + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String heights() {
        StringBuilder s = new StringBuilder("heights");
        for (int i = 0; i < NODES; i++) s.append(' ').append(processes[i] == null ? "down" : Long.toString(height(i)));
        return s.toString();
    }
}
