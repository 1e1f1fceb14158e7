package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.node.api.ApiBackend;
import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v0/epoch/{e}} over a real socket, read with the light-client library's own client and verifier.
 * Epochs of four blocks over a universe of six peers: epoch 0 is peers 0..3, epoch 1 peers 2..5, epoch 2 not known
 * yet; this node (peer 0) decided heights 0..9, and its handover certificate into epoch 1 is made by the runtime's
 * own signing path ({@link LcStates}, {@link LcSignaturePool}) from real BLS signatures of peers 0, 1 and 2.
 */
class EpochApiTest {
    private static final long CHAIN_ID = 4242;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(4, 2);
    private static final StakeTable T0 = table(0, 1, 2, 3);
    private static final StakeTable T1 = table(2, 3, 4, 5);
    private static final long TIP = 9;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<StakeTable> epoch2 = new AtomicReference<>();
    private final EpochStakeTables tables = EpochStakeTables.of(SCHEDULE, T0,
            e -> e == 1 ? Optional.of(T1) : e == 2 ? Optional.ofNullable(epoch2.get()) : Optional.empty());
    private final Map<Long, LightClientAnswer> certified = new java.util.HashMap<>();
    private HttpApiServer server;
    private String base;

    private static StakeTable table(int... peers) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int p : peers) {
            entries.add(new StakeEntry(TestKeys.keyPair(p).publicKey(), 10 + p, p % 2 == 0));
        }
        return StakeTable.of(entries);
    }

    @BeforeEach
    void start() {
        certifyHandoverIntoEpochOne();
        EpochAnswers epochs = new EpochAnswers(tables, () -> TIP, h -> Optional.ofNullable(certified.get(h)));
        server = new HttpApiServer(new EpochsOnly(epochs), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 2048, 1);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Headers 0..TIP with their commitment log; the handover (height 3) certified as the node certifies it. */
    private void certifyHandoverIntoEpochOne() {
        BlockCommitmentLog log = new BlockCommitmentLog();
        List<BlockHeader> headers = new ArrayList<>();
        Bytes32 parent = Bytes32.ZERO;
        for (long h = 0; h <= TIP; h++) {
            BlockPayload p = BlockPayload.EMPTY;
            BlockHeader header = new BlockHeader(new Height(h), new View(2 * h + 1), parent, 1_700_000_000_000L + h, 7,
                    p.payloadRoot(), Bytes32.ZERO, p.nsTableComm(), p.byteLength(), log.blockCommRoot());
            log.append(header, CHAIN_ID);
            parent = header.commitment(CHAIN_ID);
            headers.add(header);
        }
        LcSigners signers = new LcSigners(tables, IntStream.range(0, 6).mapToObj(i -> TestKeys.keyPair(i).publicKey()).toList());
        LcSignaturePool pool = new LcSignaturePool(CHAIN_ID, signers, new LcVerifier(),
                new Misbehaviour(new SimpleMeterRegistry()));
        long last = SCHEDULE.lastHeight(0);
        LcStates.Ready ready = new LcStates(signers, 0, LcSignaturePool.WINDOW)
                .decided(last, headers.get((int) last).view().value(), log.blockCommRoot(last + 1)).getFirst();
        pool.own(ready.state(), ready.me().getAsInt(), Bls.sign(TestKeys.keyPair(0).secretKey(), ready.state().digest(CHAIN_ID)),
                false);
        Optional<LightClientCertificate> lc = Optional.empty();
        for (int peer = 1; peer <= 2; peer++) {
            lc = pool.offer(TIP, peer, new NodeMessage.LcSignature(last, peer,
                    Bls.sign(TestKeys.keyPair(peer).secretKey(), ready.state().digest(CHAIN_ID)).toBytes()));
        }
        certified.put(last, LightClientAnswer.of(lc.orElseThrow(), CHAIN_ID, T0, headers.get((int) last),
                log.proof(last, last + 1)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(String path, int status, String error, String detail) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = json.readTree(r.body());
        assertEquals(error, n.get("error").asString(), r.body());
        assertEquals(detail, n.get("detail").asString());
    }

    @Test
    void aClientFromTheGenesisTableAdmitsEpochOneThroughTheNodesHandover() throws Exception {
        NodeFollower follower = new NodeFollower(URI.create(base));
        EpochAnswer e0 = follower.epoch(0);
        assertEquals(0, e0.firstHeight());
        assertEquals(3, e0.lastHeight());
        assertEquals(T0.commitment().toHex(), e0.stakeTableComm());
        assertEquals(T0.commitment(), e0.toTable().commitment());
        assertNull(e0.handover());

        LightClientVerifier verifier = LightClientVerifier.followingEpochs(CHAIN_ID,
                new EpochHistory(SCHEDULE, CHAIN_ID, T0, 16));
        EpochAnswer e1 = follower.epoch(1);
        assertEquals(4, e1.firstHeight());
        assertEquals(7, e1.lastHeight());
        verifier.acceptEpoch(e1);
        assertEquals(1, verifier.epochs().orElseThrow().latestEpoch());
        assertEquals(T1.commitment(), verifier.epochs().orElseThrow().latestTable().commitment());

        // The documented shape, field by field.
        JsonNode raw = json.readTree(get("/v0/epoch/1").body());
        Set<String> fields = new TreeSet<>(raw.propertyNames());
        assertEquals(Set.of("epoch", "firstHeight", "lastHeight", "stakeTableComm", "table", "handover"), fields);
        assertEquals(Set.of("publicKey", "stakeGwei", "isDa"), new TreeSet<>(raw.get("table").get(0).propertyNames()));
        assertEquals(3, raw.get("handover").get("state").get("height").asLong());
    }

    @Test
    void epochsWithoutAnAnswerAre404WithTheReasonAndMalformedOnes400() throws Exception {
        assertRefused("/v0/epoch/2", 404, "not_found", "the table of epoch 2 is not known to this node");
        epoch2.set(table(1, 2, 3, 4, 5));
        assertRefused("/v0/epoch/2", 404, "not_found",
                "the handover into epoch 2 (height 7) is not certified on this node, or was pruned");
        assertRefused("/v0/epoch/3", 404, "not_found",
                "epoch 3 is not reached: its handover is height 11, this node decided up to 9");
        long beyond = SCHEDULE.maxEpoch() + 1;
        assertRefused("/v0/epoch/" + beyond, 404, "not_found",
                "no epoch " + beyond + ": the last epoch of this schedule is " + SCHEDULE.maxEpoch());
        assertRefused("/v0/epoch/-1", 400, "malformed_epoch", "epoch must be a non-negative integer, got \"-1\"");
        assertRefused("/v0/epoch/one", 400, "malformed_epoch", "epoch must be a non-negative integer, got \"one\"");
        assertRefused("/v0/epoch/99999999999999999999", 400, "malformed_epoch",
                "epoch must be a non-negative integer, got \"99999999999999999999\"");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v0/epoch/0"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(200, get("/v0/epoch/0").statusCode(), "still serving");

        // A source that now gives another table for epoch 1 than the one the stored handover names: not served.
        StakeTable other = table(1, 2, 3, 4);
        EpochAnswers changed = new EpochAnswers(EpochStakeTables.of(SCHEDULE, T0, e -> Optional.of(other)), () -> TIP,
                h -> Optional.ofNullable(certified.get(h)));
        assertEquals(new ApiBackend.EpochLookup.Missing("the handover into epoch 1 names table " + T1.commitment().toHex()
                + ", not this node's table " + other.commitment().toHex()), changed.answer(1));
    }

    @Test
    void withoutEpochsEpochZeroIsTheWholeChainAndThereIsNoOther() throws Exception {
        EpochAnswers single = new EpochAnswers(EpochStakeTables.single(T0), () -> TIP, h -> Optional.empty());
        try (HttpApiServer one = new HttpApiServer(new EpochsOnly(single),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 2048, 1)) {
            String at = "http://127.0.0.1:" + one.start("127.0.0.1", 0).getPort();
            EpochAnswer e0 = new NodeFollower(URI.create(at)).epoch(0);
            assertEquals(0, e0.firstHeight());
            assertEquals(Long.MAX_VALUE, e0.lastHeight());
            assertEquals(T0.commitment(), e0.toTable().commitment());
            assertNull(e0.handover());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(at + "/v0/epoch/1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertEquals("this network has no epochs: epoch 0 is the whole chain", json.readTree(r.body()).get("detail").asString());
        }
    }

    /** A node API that serves epochs only: the rest of it is exercised by the node tests. */
    private record EpochsOnly(EpochAnswers epochs) implements ApiBackend {
        @Override
        public EpochLookup epoch(long epoch) {
            return epochs.answer(epoch);
        }

        @Override
        public SubmitResult submit(long namespace, byte[] payload) {
            throw new UnsupportedOperationException("this test backend serves epochs only");
        }

        @Override
        public Object status() {
            return Map.of("height", TIP);
        }

        @Override
        public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
            return Optional.empty();
        }

        @Override
        public Optional<Object> lightClient(Optional<Long> height) {
            return Optional.empty();
        }

        @Override
        public Optional<dev.cortado.protocol.block.NamespaceProof> namespace(long height, long namespace) {
            return Optional.empty();
        }

        @Override
        public Optional<Object> transaction(Bytes32 hash) {
            return Optional.empty();
        }

        @Override
        public long latestHeight() {
            return TIP;
        }

        @Override
        public long oldestHeight() {
            return 1;
        }

        @Override
        public void onDecided(Runnable listener) {
        }
    }
}
