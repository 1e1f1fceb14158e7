package dev.cortado.devnet.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.deploy.DeployConfig;
import dev.cortado.devnet.deploy.Deployer;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.deploy.NodeL1Config;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.devnet.testing.Await;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.VerifiedTransaction;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.L1FollowerService;
import dev.cortado.node.l1.L1Settings;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.NodeEpochs;
import dev.cortado.node.runtime.NodeSettings;
import dev.cortado.node.runtime.StoredCertificates;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 end to end on a real Anvil: five in-process nodes on sockets and RocksDB, each following StakeTable.sol
 * with its own L1 follower and deriving every epoch's table itself. Index 4 is configured with no stake (it is not
 * registered at genesis); it registers with its proof of possession while the network runs and votes from the
 * first epoch whose snapshot block names an L1 block at or after its registration. Then index 0 exits and, from
 * the first epoch whose snapshot follows the exit, never signs again while the others keep deciding. A light
 * client that trusts only the genesis table follows every handover over HTTP to a table naming the joiner, and a
 * {@link RollupClient} from the same table verifies a transaction in an epoch after the exit; the poster then
 * rotates LightClient.sol, deployed with the genesis table, through every handover.
 */
class L1EpochsNetworkTest {
    private static final long STAKE = DevnetValidators.STAKE_GWEI;
    private static final long CHAIN_ID = 0xC0A7AD0L;
    private static final int CONFIRMATIONS = 1;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final int JOINER = 4;
    private static final int EXITER = 0;
    private static final long L1_BLOCK_MS = 300;
    /** No auction for it on the marketplace, so it is open to loose transactions. */
    private static final long NAMESPACE = 4242;

    @Test
    void aValidatorJoinsThroughL1AndOneLeavesWhileTheNetworkRuns(@TempDir Path dir) throws Exception {
        List<BlsKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) keys.add(DevnetValidators.keyPair(300 + i));
        List<StakeEntry> genesisEntries = new ArrayList<>();
        for (int i = 0; i < 4; i++) genesisEntries.add(new StakeEntry(keys.get(i).publicKey(), STAKE, true));
        StakeTable genesis = StakeTable.of(genesisEntries);
        List<CortadoNode> nodes = new ArrayList<>();
        List<NodeMarket> markets = new ArrayList<>();
        ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "anvil-miner"));
        L1Devnet l1 = L1Devnet.startAnvil();
        try {
            run(l1, dir, keys, genesis, nodes, markets, miner);
        } finally {
            // Nodes and followers before Anvil, so none of them polls a closed L1.
            miner.shutdownNow();
            for (CortadoNode n : nodes) n.close();
            for (NodeMarket m : markets) m.close();
            l1.close();
        }
    }

    private static void run(L1Devnet l1, Path dir, List<BlsKeyPair> keys, StakeTable genesis, List<CortadoNode> nodes,
                            List<NodeMarket> markets, ScheduledExecutorService miner) throws Exception {
        {
            Deployment d = Deployer.deploy(l1.rpcUrl(), l1.chainId(), l1.deployer(), DeployConfig.devnetDefaults(
                    l1.latestTimestampSec(), 12, CHAIN_ID, genesis.commitment(), List.of(), l1.accounts().get(9).getAddress()));
            StakeTableOnAnvil contract = new StakeTableOnAnvil(l1, d.stakeTable().address());
            for (int i = 0; i < 4; i++) contract.register(l1.accounts().get(1 + i), keys.get(i), STAKE);
            // Anvil mines only on a transaction: a steady L1 clock lets the followers (and so the l1Heads) move.
            miner.scheduleAtFixedRate(() -> {
                try {
                    l1.mine();
                } catch (RuntimeException e) {
                    // One missed block only delays the followers; an exception would cancel every later one.
                    System.err.println("L1EpochsNetworkTest: evm_mine failed: " + e.getMessage());
                }
            }, L1_BLOCK_MS, L1_BLOCK_MS, TimeUnit.MILLISECONDS);

            L1Settings l1Settings = NodeL1Config.of(d, CONFIRMATIONS, 100);
            List<PeerEntry> peers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                peers.add(new PeerEntry(BlsPeerCrypto.peerKey(keys.get(i).publicKey()),
                        new InetSocketAddress("127.0.0.1", LoopbackPorts.pick()), i == JOINER ? 0 : STAKE, i != JOINER));
            }
            for (int i = 0; i < 5; i++) {
                NodeSettings s = new NodeSettings(CHAIN_ID, keys.get(i), peers, List.of(), false, dir.resolve("node" + i),
                        peers.get(i).address(), new InetSocketAddress("127.0.0.1", 0), 1_000, 8_000, 1 << 20, 4 << 20,
                        10_000, new MempoolLimits(1 << 20, 8L << 20, 32L << 20, 100_000), 4 << 20, true, 1_000, 50, true);
                // As `cortado node` does with [epochs]: the follower first, the node's tables over it, then the market.
                L1FollowerService follower = L1FollowerService.open(l1Settings, s.dataDir()).start();
                CortadoNode node;
                try {
                    node = new CortadoNode(s, new NodeEpochs.FromL1(SCHEDULE, follower.follower()));
                } catch (RuntimeException e) {
                    follower.close();
                    throw e;
                }
                nodes.add(node);
                node.start();
                NodeMarket market = NodeMarket.attach(node.apiServer(), follower);
                markets.add(market);
                node.followL1(market.state(), l1Settings.maxL1LeadBlocks(), l1Settings.chainId(),
                        Address.fromHex(l1Settings.marketplace()));
            }
            CortadoNode n0 = nodes.getFirst();
            Await.until("every node decided height 2", 20_000, () -> nodes.stream().allMatch(n -> n.height() >= 2),
                    () -> heights(nodes));

            long registeredAt = contract.register(l1.accounts().get(5), keys.get(JOINER), STAKE);
            Await.until("a QC signed by the joiner", 30_000, () -> signerSeen(n0.store(), JOINER, n0.height()),
                    () -> heights(nodes) + ", join epoch " + firstEpochAfter(n0.store(), registeredAt));
            long joinEpoch = firstEpochAfter(n0.store(), registeredAt).orElseThrow();

            long exitedAt = contract.exit(l1.accounts().get(1), keys.get(EXITER));
            Await.until("every node decided the epoch the exit took effect in", 40_000, () -> {
                OptionalLong e = firstEpochAfter(n0.store(), exitedAt);
                // The exiter too: it keeps deciding as an observer (and a genesis DA member), and its store is read below.
                return e.isPresent() && nodes.stream().allMatch(n -> n.height() >= SCHEDULE.lastHeight(e.getAsLong()));
            }, () -> heights(nodes) + ", exit epoch " + firstEpochAfter(n0.store(), exitedAt));
            long exitEpoch = firstEpochAfter(n0.store(), exitedAt).orElseThrow();
            assertTrue(joinEpoch >= 1 && exitEpoch > joinEpoch, "join " + joinEpoch + ", exit " + exitEpoch);

            long top = SCHEDULE.lastHeight(exitEpoch);
            boolean joinerSigned = false;
            int exiterAfterExit = 0;
            int withQc = 0;
            for (long h = 1; h <= top; h++) {
                byte[] commitment = n0.store().decided(h).orElseThrow().commitment();
                for (CortadoNode n : nodes.subList(1, 5)) {
                    assertArrayEquals(commitment, n.store().decided(h).orElseThrow().commitment(), "height " + h);
                }
                Optional<QuorumCertificate> stored = StoredCertificates.qc(n0.store().decided(h).orElseThrow());
                if (stored.isEmpty()) {
                    continue;
                }
                withQc++;
                QuorumCertificate qc = stored.get();
                long epoch = SCHEDULE.epochOf(h);
                assertEquals(epoch, qc.epoch(), "the QC on height " + h);
                BitSet signers = qc.signature().signers();
                if (epoch < joinEpoch) {
                    assertFalse(signers.get(JOINER), "the joiner signed height " + h + " in epoch " + epoch);
                } else {
                    joinerSigned |= signers.get(JOINER);
                }
                if (epoch >= exitEpoch && signers.get(EXITER)) exiterAfterExit++;
            }
            assertTrue(withQc >= top / 2, withQc + " of " + top + " heights stored their QC");
            assertTrue(joinerSigned, "the joiner's index is in a QC bitmap from epoch " + joinEpoch);
            assertEquals(0, exiterAfterExit, "QCs signed by the exited validator from epoch " + exitEpoch);

            // A client that trusts only the genesis table follows each handover the nodes serve.
            NodeFollower api = new NodeFollower(URI.create("http://127.0.0.1:" + n0.apiAddress().getPort()));
            LightClientVerifier verifier = LightClientVerifier.followingEpochs(CHAIN_ID,
                    new EpochHistory(SCHEDULE, CHAIN_ID, genesis, 16));
            EpochAnswer newest = null;
            for (long e = 1; e <= exitEpoch; e++) {
                newest = api.epoch(e);
                assertEquals(e, newest.epoch());
                verifier.acceptEpoch(newest);
            }
            StakeTable latest = verifier.epochs().orElseThrow().latestTable();
            assertEquals(exitEpoch, verifier.epochs().orElseThrow().latestEpoch());
            assertEquals(newest.toTable().commitment(), latest.commitment());
            assertTrue(latest.indexOf(keys.get(JOINER).publicKey()).isPresent(), "the newest table names the joiner");
            assertTrue(latest.indexOf(keys.get(EXITER).publicKey()).isEmpty(), "the newest table drops the exiter");
            // A rollup client that trusts only the genesis table verifies a namespace in the newest epoch.
            long submittedAbove = n0.height();
            byte[] payload = "epoch-after-exit".getBytes(StandardCharsets.UTF_8);
            submit(nodes.get(JOINER), NAMESPACE, payload);
            RollupClient rollup = new RollupClient(nodes.stream().map(n -> new NodeFollower(URI.create("http://127.0.0.1:"
                    + n.apiAddress().getPort()))).toList(), LightClientVerifier.followingEpochs(CHAIN_ID,
                    new EpochHistory(SCHEDULE, CHAIN_ID, genesis, 16)), 100);
            List<VerifiedTransaction> found = new ArrayList<>();
            Await.until("the rollup client verified the transaction", 30_000, () -> {
                found.clear();
                rollup.verifiedTransactions(NamespaceId.of(NAMESPACE), submittedAbove).transactions().stream()
                        .filter(t -> Arrays.equals(payload, t.transaction().payload())).forEach(found::add);
                return !found.isEmpty();
            }, () -> heights(nodes) + ", rejected " + rollup.rejectedAnswers());
            long txEpoch = SCHEDULE.epochOf(found.getFirst().height());
            assertTrue(txEpoch > exitEpoch, "the transaction is in epoch " + txEpoch + ", after the exit");
            assertTrue(rollup.rejectedAnswers().isEmpty(), rollup.rejectedAnswers().toString());
            // The poster carries LightClient.sol from the genesis table through each rotation past the exit.
            List<URI> apis = nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.apiAddress().getPort())).toList();
            int[] posts = {0};
            try (LightClientPoster poster = LightClientPoster.connect(LightClientPoster.Config.of(l1.rpcUrl(),
                    d.lightClient().address(), apis, new StakeTableTrust.OnL1()).withEpochs(SCHEDULE), l1.accounts().get(6))) {
                Await.until("LightClient.sol certified a state after the exit's epoch", 30_000, () -> {
                    if (poster.postLatest() instanceof LightClientPoster.PostResult.Posted) posts[0]++;
                    return SCHEDULE.epochOf(poster.reader().finalizedState().height()) > exitEpoch;
                }, () -> "contract at " + poster.reader().finalizedState() + ", " + heights(nodes));
                long onL1 = poster.reader().finalizedState().height();
                // A handover state names the next epoch's table, which then certifies the contract's next update.
                long tableEpoch = SCHEDULE.isLastOfEpoch(onL1) ? SCHEDULE.epochOf(onL1) + 1 : SCHEDULE.epochOf(onL1);
                assertTrue(posts[0] >= exitEpoch, posts[0] + " posts: each handover, then a state of its epoch");
                assertEquals(api.epoch(tableEpoch).stakeTableComm(), poster.reader().stakeTableCommitment().toHex(),
                        "LightClient.sol holds epoch " + tableEpoch + "'s table, rotated to by the handovers");
            }
            System.out.println("L1EpochsNetworkTest: joined in epoch " + joinEpoch + " (registered at L1 block "
                    + registeredAt + "), exited from epoch " + exitEpoch + " (L1 block " + exitedAt + "), decided to "
                    + n0.height() + ", " + withQc + " of " + top + " QCs read, a namespace verified from the genesis table"
                    + " in epoch " + txEpoch + ", " + posts[0] + " LightClient.sol updates");
        }
    }

    /** The first epoch whose decided snapshot block names an L1 block at or after {@code l1Block}, if decided. */
    private static OptionalLong firstEpochAfter(NodeStore store, long l1Block) {
        DecidedL1Heads heads = DecidedL1Heads.of(store);
        for (long e = 1; ; e++) {
            OptionalLong head = heads.l1HeadAt(SCHEDULE.snapshotHeight(e));
            if (head.isEmpty()) return OptionalLong.empty();
            if (head.getAsLong() >= l1Block) return OptionalLong.of(e);
        }
    }

    private static boolean signerSeen(NodeStore store, int index, long upTo) {
        for (long h = upTo; h >= 1 && h > upTo - 2 * SCHEDULE.epochBlocks(); h--) {
            var b = store.decided(h);
            if (b.isPresent() && StoredCertificates.qc(b.get()).map(q -> q.signature().signers().get(index)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** {@code POST /v0/submit} of one loose transaction, which must be admitted. */
    private static void submit(CortadoNode node, long namespace, byte[] payload) throws Exception {
        String body = "{\"namespace\": " + namespace + ", \"payload\": \"0x" + HexFormat.of().formatHex(payload) + "\"}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.apiAddress().getPort() + "/v0/submit")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "POST /v0/submit: " + r.body());
    }

    private static String heights(List<CortadoNode> nodes) {
        return "heights " + nodes.stream().map(n -> Long.toString(n.height())).toList();
    }
}
