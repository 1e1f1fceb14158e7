package dev.cortado.devnet.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.run.DevnetValidators;
import dev.cortado.devnet.testing.Await;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.VerifiedTransaction;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.node.runtime.StoredCertificates;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
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
    private static final long STAKE = L1EpochsNetwork.STAKE;
    private static final long CHAIN_ID = L1EpochsNetwork.CHAIN_ID;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final int JOINER = 4;
    private static final int EXITER = 0;
    /** No auction for it on the marketplace, so it is open to loose transactions. */
    private static final long NAMESPACE = 4242;

    @Test
    void aValidatorJoinsThroughL1AndOneLeavesWhileTheNetworkRuns(@TempDir Path dir) throws Exception {
        List<BlsKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) keys.add(DevnetValidators.keyPair(300 + i));
        try (L1EpochsNetwork net = L1EpochsNetwork.start(dir, keys, 4, SCHEDULE)) {
            run(net, keys);
        }
    }

    private static void run(L1EpochsNetwork net, List<BlsKeyPair> keys) throws Exception {
        {
            List<CortadoNode> nodes = net.nodes();
            StakeTable genesis = net.genesis();
            CortadoNode n0 = nodes.getFirst();
            long registeredAt = net.stakeTable().register(net.account(JOINER), keys.get(JOINER), STAKE, false);
            Await.until("a QC signed by the joiner", 30_000, () -> signerSeen(n0.store(), JOINER, n0.height()),
                    () -> net.heights() + ", join epoch " + net.firstEpochAfter(n0.store(), registeredAt));
            long joinEpoch = net.firstEpochAfter(n0.store(), registeredAt).orElseThrow();

            long exitedAt = net.stakeTable().exit(net.account(EXITER), keys.get(EXITER));
            long exitEpoch = net.awaitEpochAfter("the exit", exitedAt, 40_000);
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
            }, () -> net.heights() + ", rejected " + rollup.rejectedAnswers());
            long txEpoch = SCHEDULE.epochOf(found.getFirst().height());
            assertTrue(txEpoch > exitEpoch, "the transaction is in epoch " + txEpoch + ", after the exit");
            assertTrue(rollup.rejectedAnswers().isEmpty(), rollup.rejectedAnswers().toString());
            // The poster carries LightClient.sol from the genesis table through each rotation past the exit.
            List<URI> apis = net.apis();
            int[] posts = {0};
            try (LightClientPoster poster = LightClientPoster.connect(LightClientPoster.Config.of(net.l1().rpcUrl(),
                    net.deployment().lightClient().address(), apis, new StakeTableTrust.OnL1()).withEpochs(SCHEDULE),
                    net.posterAccount())) {
                Await.until("LightClient.sol certified a state after the exit's epoch", 30_000, () -> {
                    if (poster.postLatest() instanceof LightClientPoster.PostResult.Posted) posts[0]++;
                    return SCHEDULE.epochOf(poster.reader().finalizedState().height()) > exitEpoch;
                }, () -> "contract at " + poster.reader().finalizedState() + ", " + net.heights());
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
}
