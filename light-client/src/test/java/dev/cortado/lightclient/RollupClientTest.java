package dev.cortado.lightclient;

import static dev.cortado.lightclient.TestChain.NS_A;
import static dev.cortado.lightclient.TestChain.NS_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.LyingNode.Lie;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.stake.StakeFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupClientTest {
    private final TestChain chain = new TestChain(7, Integer.MAX_VALUE, "main");
    private final TestChain fork = new TestChain(7, 3, "fork");
    private final LightClientVerifier verifier = new LightClientVerifier(TestChain.CHAIN_ID, TestChain.TABLE);
    private LyingNode honest;
    private LyingNode liar;

    @BeforeAll
    void start() throws IOException {
        honest = new LyingNode(chain, fork, Lie.NONE);
        liar = new LyingNode(chain, fork, Lie.NONE);
    }

    @AfterAll
    void stop() {
        honest.close();
        liar.close();
    }

    private RollupClient client(LyingNode... nodes) {
        List<NodeFollower> followers = new ArrayList<>();
        for (LyingNode n : nodes) {
            followers.add(new NodeFollower(n.uri()));
        }
        return new RollupClient(followers, verifier, 100);
    }

    private List<Transaction> expected(NamespaceId ns, int from) {
        List<Transaction> out = new ArrayList<>();
        for (int h = from; h <= chain.latestHeight(); h++) {
            out.addAll(chain.payloads.get(h).transactions(ns));
        }
        return out;
    }

    private static List<Transaction> txs(VerifiedTransactions v) {
        return v.transactions().stream().map(VerifiedTransaction::transaction).toList();
    }

    @Test
    void honestNodeIsAcceptedAndGivesEveryTransactionInOrder() {
        RollupClient c = client(honest);
        VerifiedTransactions a = c.verifiedTransactions(NS_A, 0);
        assertEquals(expected(NS_A, 0), txs(a));
        assertEquals(chain.latestHeight(), a.toHeight());
        assertEquals(chain.latestHeight() + 1, a.nextHeight());
        assertEquals(chain.latestHeight(), a.certifiedBy().height());
        VerifiedTransactions b = c.verifiedTransactions(NS_B, 3);
        assertEquals(expected(NS_B, 3), txs(b));
        assertTrue(b.transactions().stream().allMatch(t -> t.height() >= 3));
        VerifiedTransactions none = c.verifiedTransactions(NamespaceId.of(30), 0);
        assertTrue(none.transactions().isEmpty());
        VerifiedTransactions beyond = c.verifiedTransactions(NS_A, chain.latestHeight() + 1L);
        assertTrue(beyond.transactions().isEmpty());
        assertEquals(beyond.fromHeight(), beyond.nextHeight());
        assertTrue(c.rejectedAnswers().isEmpty());
    }

    @Test
    void transactionByHashIsProvenOverHttp() {
        Transaction t = chain.payloads.get(5).transactions(NS_A).get(1);
        VerifiedTransaction v = client(honest).verifiedTransaction(t.hash());
        assertEquals(t, v.transaction());
        assertEquals(5, v.height());
        assertEquals(1, v.index());
    }

    @Test
    void headerProofsAgainstAnotherCertifiedHeightAreFollowed() {
        liar.lie(Lie.PROVE_AGAINST_OLDER_STATE);
        assertEquals(expected(NS_A, 0), txs(client(liar).verifiedTransactions(NS_A, 0)));
    }

    @ParameterizedTest
    @CsvSource({
        "DROP_TRANSACTION, INVALID_NAMESPACE_PROOF",
        "SWAP_NAMESPACE_BYTES, INVALID_NAMESPACE_PROOF",
        "ALTER_TRANSACTION_BYTES, INVALID_NAMESPACE_PROOF",
        "FORK_HEADERS, HEADER_NOT_CERTIFIED",
        "LOW_STAKE_CERTIFICATE, INSUFFICIENT_STAKE",
        "FORGED_STATE, INVALID_CERTIFICATE",
        "GARBAGE, MALFORMED_ANSWER"
    })
    void eachLieIsRejectedWithItsReason(Lie lie, Reason reason) {
        liar.lie(lie);
        var e = assertThrows(LightClientVerificationException.class, () -> client(liar).verifiedTransactions(NS_A, 0));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"DROP_TRANSACTION", "SWAP_NAMESPACE_BYTES", "FORK_HEADERS", "LOW_STAKE_CERTIFICATE"})
    void withAnHonestNodeBesideTheLiarTheClientGetsTheTruth(Lie lie) {
        liar.lie(lie);
        RollupClient c = client(liar, honest);
        assertEquals(expected(NS_A, 0), txs(c.verifiedTransactions(NS_A, 0)));
        assertFalse(c.rejectedAnswers().isEmpty());
    }

    @Test
    void aLyingTransactionAnswerIsRejected() {
        liar.lie(Lie.FORK_HEADERS);
        Transaction t = chain.payloads.get(4).transactions(NS_A).getFirst();
        var e = assertThrows(LightClientVerificationException.class, () -> client(liar).verifiedTransaction(t.hash()));
        assertEquals(Reason.HEADER_NOT_CERTIFIED, e.reason());
    }

    @Test
    void anotherStakeTableIsNotTrusted() {
        LightClientVerifier other = new LightClientVerifier(TestChain.CHAIN_ID, StakeFixtures.table(StakeFixtures.keys(5)));
        RollupClient c = new RollupClient(List.of(new NodeFollower(honest.uri())), other, 10);
        var e = assertThrows(LightClientVerificationException.class, () -> c.verifiedTransactions(NS_A, 0));
        assertEquals(Reason.WRONG_STAKE_TABLE, e.reason());
        LightClientVerifier otherChain = new LightClientVerifier(TestChain.CHAIN_ID + 1, TestChain.TABLE);
        var e2 = assertThrows(LightClientVerificationException.class,
                () -> new RollupClient(List.of(new NodeFollower(honest.uri())), otherChain, 10).latestCertified());
        assertEquals(Reason.INVALID_CERTIFICATE, e2.reason());
    }

    @Test
    void anUnreachableNodeIsReportedAsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RollupClient c = new RollupClient(List.of(new NodeFollower(URI.create("http://127.0.0.1:" + port))), verifier, 10);
        assertThrows(NodeUnavailableException.class, () -> c.verifiedTransactions(NS_A, 0));
        // a dead node first, an honest one second: served by the second
        RollupClient c2 = new RollupClient(List.of(new NodeFollower(URI.create("http://127.0.0.1:" + port)),
                new NodeFollower(honest.uri())), verifier, 10);
        assertEquals(expected(NS_A, 0), txs(c2.verifiedTransactions(NS_A, 0)));
    }

    @Test
    void confirmationOfADecidedTransactionIsProvenAndNamesItsLevel() {
        Transaction t = chain.payloads.get(5).transactions(NS_A).get(1);
        TransactionConfirmation c = client(honest).confirmation(t.hash());
        assertEquals(TransactionConfirmation.Level.HOTSHOT_FINAL, c.level());
        assertEquals(new VerifiedTransaction(5, 1, t), c.proven());
        assertEquals(chain.headers.get(5).view().value(), c.claim().view());
        assertEquals(honest.uri(), c.node());

        honest.l1FinalThrough = 5;
        try {
            TransactionConfirmation fin = client(honest).confirmation(t.hash());
            assertEquals(TransactionConfirmation.Level.L1_FINAL, fin.level());
            assertEquals(new VerifiedTransaction(5, 1, t), fin.proven());
            assertEquals(5, fin.claim().l1().lightClientHeight());
            Transaction later = chain.payloads.get(6).transactions(NS_A).getFirst();
            assertEquals(TransactionConfirmation.Level.HOTSHOT_FINAL, client(honest).confirmation(later.hash()).level(),
                    "height 6 is above the light client's 5");
        } finally {
            honest.l1FinalThrough = -1;
        }
    }

    @Test
    void pooledAndUnknownTransactionsHaveTheirLevels() {
        Transaction pending = new Transaction(NS_A, new byte[] {7, 7, 7});
        assertEquals(TransactionConfirmation.Level.UNKNOWN, client(honest).confirmation(pending.hash()).level());
        var bundle = new dev.cortado.lightclient.api.ConfirmationJson.PreConfirmedJson("0x" + "ab".repeat(32),
                "0x" + "cd".repeat(20), 3, 2, 0);
        honest.pooled.put(pending.hash(), dev.cortado.lightclient.api.TransactionAnswer.preConfirmed(pending, bundle));
        try {
            TransactionConfirmation c = client(honest).confirmation(pending.hash());
            assertEquals(TransactionConfirmation.Level.PRE_CONFIRMED, c.level());
            assertEquals(bundle, c.claim().preConfirmed());
            assertEquals(null, c.proven());
        } finally {
            honest.pooled.clear();
        }
    }

    @Test
    void aConfirmationClaimingAnotherViewIsALie() {
        liar.lie(Lie.CLAIM_WRONG_VIEW);
        Transaction t = chain.payloads.get(4).transactions(NS_A).getFirst();
        var e = assertThrows(LightClientVerificationException.class, () -> client(liar).confirmation(t.hash()));
        assertEquals(Reason.MALFORMED_ANSWER, e.reason());
        long view = chain.headers.get(4).view().value();
        assertEquals("MALFORMED_ANSWER: transaction at height 4 claims view " + (view + 1) + ", its certified header has view " + view, e.getMessage());
        RollupClient both = client(liar, honest);
        assertEquals(TransactionConfirmation.Level.HOTSHOT_FINAL, both.confirmation(t.hash()).level());
        assertFalse(both.rejectedAnswers().isEmpty());
    }
}
