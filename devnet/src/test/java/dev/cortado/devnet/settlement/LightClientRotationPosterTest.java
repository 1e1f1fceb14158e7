package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.lightclient.LightClientVerificationException;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.epoch.EpochRules;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.settlement.lightclient.CertifiedChain;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientPoster.PostResult;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The poster carries a network through two table rotations to LightClient.sol on a live Anvil: epochs of 4
 * blocks, validator 4 joins for epoch 1 and validator 0 leaves for epoch 2; the nodes' newest state is in
 * epoch 2, so each handover must be posted first, and a handover signed by the wrong table never is.
 */
class LightClientRotationPosterTest {
    private static final long HOTSHOT_CHAIN = 4345;
    private static final EpochSchedule SCHEDULE = new EpochSchedule(4, 1);
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(5);
    private static final List<StakeTable> TABLES = List.of(table(0, 1, 2, 3), table(0, 1, 2, 3, 4), table(1, 2, 3, 4));
    private static final int LATEST = 10;

    private static L1Devnet l1;
    private static CertifiedChain chain;

    @BeforeAll
    static void start() {
        l1 = L1Devnet.startAnvil();
        chain = new CertifiedChain(HOTSHOT_CHAIN, KEYS, TABLES.get(0), LATEST + 1);
    }

    @AfterAll
    static void stop() {
        l1.close();
    }

    private static StakeTable table(int... idx) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i : idx) entries.add(new StakeEntry(KEYS.get(i).publicKey(), StakeFixtures.stakeGwei(i), i % 2 == 0));
        return StakeTable.of(entries);
    }

    private static LightClientState state(int h) {
        int epoch = (int) SCHEDULE.epochOf(h);
        StakeTable next = TABLES.get(Math.min(epoch + 1, TABLES.size() - 1));
        LightClientState plain = chain.state(h);
        return new LightClientState(plain.view(), plain.height(), plain.blockCommRoot(),
                EpochRules.stateCommitment(SCHEDULE, h, TABLES.get(epoch), next));
    }

    /** The state of height h signed by every member of {@code signing}. */
    private static LightClientAnswer answer(int h, StakeTable signing) {
        List<BlsKeyPair> keys = signing.entries().stream()
                .map(e -> KEYS.stream().filter(k -> k.publicKey().equals(e.key())).findFirst().orElseThrow()).toList();
        LightClientState s = state(h);
        var cert = CertFixtures.sign(keys, ThresholdKind.QUORUM, s.digest(HOTSHOT_CHAIN), SignerBitmap.full(signing.size()));
        return LightClientAnswer.of(new LightClientCertificate(s, cert), HOTSHOT_CHAIN, signing, chain.headers.get(h),
                chain.log.proof(h, h + 1L));
    }

    private static LightClientAnswer honest(int h) {
        int height = h < 0 ? LATEST : h;
        return answer(height, TABLES.get((int) SCHEDULE.epochOf(height)));
    }

    private static LightClient deploy() throws Exception {
        Credentials owner = l1.accounts().get(0);
        var genesis = new LightClient.LightClientState(BigInteger.ZERO, BigInteger.ZERO, chain.log.blockCommRoot(1).bytes(),
                TABLES.get(0).commitment().bytes());
        return LightClient.deploy(l1.web3j(), tm(l1, owner), GAS, owner.getAddress(), BigInteger.valueOf(HOTSHOT_CHAIN),
                genesis, BigInteger.valueOf(16), "0x0000000000000000000000000000000000000000").send();
    }

    private static LightClientPoster poster(LightClient lc, boolean epochs, NodeServer... nodes) {
        List<URI> uris = java.util.Arrays.stream(nodes).map(NodeServer::uri).toList();
        var config = new LightClientPoster.Config(l1.rpcUrl(), lc.getContractAddress(), uris, new StakeTableTrust.OnL1(),
                3, 50, 20, 30_000);
        return LightClientPoster.connect(epochs ? config.withEpochs(SCHEDULE) : config, l1.accounts().get(1));
    }

    @Test
    void postsEachHandoverBeforeTheNewestStateAndRefusesOneSignedByTheIncomingTable() throws Exception {
        LightClient lc = deploy();
        // The first node lies about the handover into epoch 1: it is signed by the incoming table.
        try (NodeServer liar = new NodeServer(h -> h == SCHEDULE.lastHeight(0) ? answer(h, TABLES.get(1)) : honest(h));
                NodeServer node = new NodeServer(LightClientRotationPosterTest::honest);
                LightClientPoster p = poster(lc, true, liar, node)) {
            PostResult.Posted first = assertInstanceOf(PostResult.Posted.class, p.postLatest());
            assertEquals(SCHEDULE.lastHeight(0), first.height());
            assertArrayEquals(TABLES.get(1).commitment().bytes(), lc.stakeTableCommitment().send());
            var rotated = lc.getStakeTableRotatedEvents(l1.web3j().ethGetTransactionReceipt(first.txHash()).send()
                    .getTransactionReceipt().orElseThrow());
            assertEquals(1, rotated.size());
            assertArrayEquals(TABLES.get(0).commitment().bytes(), rotated.getFirst().oldComm);

            PostResult.Posted second = assertInstanceOf(PostResult.Posted.class, p.postLatest());
            assertEquals(SCHEDULE.lastHeight(1), second.height());
            assertArrayEquals(TABLES.get(2).commitment().bytes(), lc.stakeTableCommitment().send());

            PostResult.Posted newest = assertInstanceOf(PostResult.Posted.class, p.postLatest());
            assertEquals(LATEST, newest.height());
            assertEquals(LATEST, p.reader().finalizedState().height());
            assertInstanceOf(PostResult.Skipped.class, p.postLatest());
        }
    }

    @Test
    void withoutTheScheduleOrWithOnlyALiarNothingIsPosted() throws Exception {
        LightClient lc = deploy();
        try (NodeServer node = new NodeServer(LightClientRotationPosterTest::honest);
                LightClientPoster p = poster(lc, false, node)) {
            var e = assertThrows(LightClientVerificationException.class, p::postLatest);
            assertEquals(LightClientVerificationException.Reason.WRONG_STAKE_TABLE, e.reason());
        }
        try (NodeServer liar = new NodeServer(h -> h == SCHEDULE.lastHeight(0) ? answer(h, TABLES.get(1)) : honest(h));
                LightClientPoster p = poster(lc, true, liar)) {
            var e = assertThrows(LightClientVerificationException.class, p::postLatest);
            assertEquals(LightClientVerificationException.Reason.WRONG_STAKE_TABLE, e.reason());
            assertEquals(0, p.reader().finalizedState().height());
            assertArrayEquals(TABLES.get(0).commitment().bytes(), lc.stakeTableCommitment().send());
        }
    }
}
