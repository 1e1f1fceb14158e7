package dev.cortado.lightclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.EpochNode.Lie;
import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.protocol.stake.StakeTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EpochFollowingTest {
    private static final List<StakeTable> T = EpochTestChain.TABLES;
    private final EpochTestChain chain = new EpochTestChain();
    private final List<EpochNode> nodes = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        for (Lie lie : Lie.values()) nodes.add(new EpochNode(chain, lie));
    }

    @AfterAll
    void stop() {
        nodes.forEach(EpochNode::close);
    }

    private EpochNode node(Lie lie) {
        return nodes.get(lie.ordinal());
    }

    private static LightClientVerifier fromGenesis() {
        return LightClientVerifier.followingEpochs(EpochTestChain.CHAIN_ID,
                new EpochHistory(EpochTestChain.SCHEDULE, EpochTestChain.CHAIN_ID, T.get(0), 16));
    }

    private static RollupClient client(LightClientVerifier verifier, EpochNode... nodes) {
        return new RollupClient(Arrays.stream(nodes).map(n -> new NodeFollower(n.uri())).toList(), verifier, 100);
    }

    private List<Transaction> expected(NamespaceId ns, int from) {
        List<Transaction> out = new ArrayList<>();
        for (int h = from; h <= chain.latestHeight(); h++) out.addAll(chain.payloads.get(h).transactions(ns));
        return out;
    }

    @Test
    void aClientFromTheGenesisTableFollowsEveryHandoverAndVerifiesANamespaceInTheNewestEpoch() {
        LightClientVerifier verifier = fromGenesis();
        RollupClient c = client(verifier, node(Lie.NONE));
        int from = (int) EpochTestChain.SCHEDULE.firstHeight(2);
        VerifiedTransactions txs = c.verifiedTransactions(TestChain.NS_A, from);
        assertEquals(expected(TestChain.NS_A, from), txs.transactions().stream().map(VerifiedTransaction::transaction).toList());
        assertTrue(!txs.transactions().isEmpty());
        assertEquals(2, verifier.epochs().orElseThrow().latestEpoch());
        assertEquals(T.get(2).commitment(), verifier.stakeTable().commitment());
        // Blocks of earlier epochs still verify, each against a state of its own epoch's table.
        assertEquals(expected(TestChain.NS_A, 0), c.verifiedTransactions(TestChain.NS_A, 0).transactions().stream()
                .map(VerifiedTransaction::transaction).toList());
        assertTrue(c.rejectedAnswers().isEmpty(), c.rejectedAnswers().toString());
    }

    @ParameterizedTest
    @CsvSource({
        "SIGNED_BY_INCOMING, 'INVALID_HANDOVER: the handover into epoch 1 is not signed by epoch 0''s table: BITMAP_SIZE_MISMATCH (bitmap covers 5 entries, table has 4)'",
        "MINORITY_HANDOVER, 'INVALID_HANDOVER: the handover into epoch 1 is not signed by epoch 0''s table: INSUFFICIENT_STAKE (signed 96000000000 of 320000000000 gwei, need more than two thirds)'",
        "OMITTED_HANDOVER, 'INVALID_HANDOVER: epoch 1 comes without its table or handover'",
    })
    void aHandoverTheOutgoingTableDidNotSignIsALie(Lie lie, String message) {
        LightClientVerifier verifier = fromGenesis();
        LightClientVerificationException e = assertThrows(LightClientVerificationException.class,
                () -> client(verifier, node(lie)).latestCertified());
        assertEquals(Reason.INVALID_HANDOVER, e.reason());
        assertEquals(message, e.getMessage());
        assertEquals(0, verifier.epochs().orElseThrow().latestEpoch());
    }

    @Test
    void aWrongNextTableUnderTheGenuineHandoverIsALieAndAnHonestNodeIsStillHeard() {
        LightClientVerifier verifier = fromGenesis();
        RollupClient c = client(verifier, node(Lie.WRONG_NEXT_TABLE), node(Lie.NONE));
        assertEquals(chain.latestHeight(), c.latestCertified().height());
        assertEquals(1, c.rejectedAnswers().size());
        LightClientVerificationException lie = c.rejectedAnswers().getFirst();
        assertEquals(Reason.INVALID_HANDOVER, lie.reason());
        assertEquals("INVALID_HANDOVER: WRONG_NEXT_TABLE: the state of height 3 names table " + T.get(1).commitment()
                + ", the offered table is " + T.get(2).commitment(), lie.getMessage());
        assertEquals(2, verifier.epochs().orElseThrow().latestEpoch());
    }

    @Test
    void aStateSignedByAnEpochsPredecessorOrNamingAnotherTableIsRefused() {
        LightClientVerifier verifier = fromGenesis();
        client(verifier, node(Lie.NONE)).latestCertified();
        int h = (int) EpochTestChain.SCHEDULE.firstHeight(2);
        // The old table keeps signing after it handed over: its bitmap does not fit epoch 2's table.
        LightClientCertificate stale = EpochTestChain.signBy(T.get(1), chain.certificates.get(h).state());
        var answer = dev.cortado.lightclient.api.LightClientAnswer.of(stale, EpochTestChain.CHAIN_ID, T.get(1),
                chain.headers.get(h), chain.log.proof(h, h + 1L));
        LightClientVerificationException e = assertThrows(LightClientVerificationException.class,
                () -> verifier.verifyLightClient(answer));
        assertEquals(Reason.INVALID_CERTIFICATE, e.reason());
        // The handover state of epoch 0 must name epoch 1's table once that table is known.
        int last = (int) EpochTestChain.SCHEDULE.lastHeight(0);
        var renamed = new dev.cortado.protocol.cert.LightClientState(chain.certificates.get(last).state().view(),
                chain.certificates.get(last).state().height(), chain.certificates.get(last).state().blockCommRoot(),
                T.get(2).commitment());
        var signed = EpochTestChain.signBy(T.get(0), renamed);
        e = assertThrows(LightClientVerificationException.class, () -> verifier.verifyLightClient(
                dev.cortado.lightclient.api.LightClientAnswer.of(signed, EpochTestChain.CHAIN_ID, T.get(0),
                        chain.headers.get(last), chain.log.proof(last, last + 1L))));
        assertEquals(Reason.WRONG_STAKE_TABLE, e.reason());
    }

    @Test
    void aClientThatTrustsOneTableRefusesTheNextEpochAsBefore() {
        RollupClient c = client(new LightClientVerifier(EpochTestChain.CHAIN_ID, T.get(0)), node(Lie.NONE));
        LightClientVerificationException e = assertThrows(LightClientVerificationException.class, c::latestCertified);
        assertEquals(Reason.WRONG_STAKE_TABLE, e.reason());
    }
}
