package dev.cortado.lightclient;

import static dev.cortado.lightclient.TestChain.CHAIN_ID;
import static dev.cortado.lightclient.TestChain.NS_A;
import static dev.cortado.lightclient.TestChain.TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.TransactionProof;
import dev.cortado.protocol.block.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import tools.jackson.databind.json.JsonMapper;

class LightClientVerifierTest {
    private final TestChain chain = new TestChain(5, Integer.MAX_VALUE, "main");
    private final LightClientVerifier verifier = new LightClientVerifier(CHAIN_ID, TABLE);
    private final JsonMapper json = JsonMapper.builder().build();

    private LightClientAnswer answer(int h) {
        return LightClientAnswer.of(chain.certificates.get(h), CHAIN_ID, TABLE, chain.headers.get(h), chain.log.proof(h, h + 1L));
    }

    private static void rejected(Reason reason, Executable e) {
        assertEquals(reason, assertThrows(LightClientVerificationException.class, e).reason());
    }

    @Test
    void answersSurviveJsonAndVerify() {
        LightClientAnswer a = json.readValue(json.writeValueAsString(answer(4)), LightClientAnswer.class);
        CertifiedState s = verifier.verifyLightClient(a);
        assertEquals(4, s.height());
        assertEquals(chain.headers.get(4), s.header());
        BlockAnswer b = json.readValue(json.writeValueAsString(BlockAnswer.of(chain.headers.get(2), CHAIN_ID, 4L,
                chain.log.proof(2, 5))), BlockAnswer.class);
        BlockHeader h2 = verifier.verifyBlock(s, b, 2);
        assertEquals(chain.headers.get(2), h2);
        NamespaceAnswer n = json.readValue(json.writeValueAsString(NamespaceAnswer.of(2, chain.payloads.get(2)
                .namespaceProof(NS_A))), NamespaceAnswer.class);
        assertEquals(chain.payloads.get(2).transactions(NS_A), verifier.verifyNamespace(h2, NS_A, n));
        TransactionAnswer t = json.readValue(json.writeValueAsString(TransactionAnswer.of(2, chain.headers.get(2).view().value(), chain.payloads.get(2)
                .transactionProof(NS_A, 1))), TransactionAnswer.class);
        assertEquals(chain.payloads.get(2).transactions(NS_A).get(1), verifier.verifyTransaction(h2, t));
    }

    @Test
    void tamperedNonSignerDataIsRejected() {
        LightClientAnswer honest = LightClientAnswer.of(
                new dev.cortado.protocol.cert.LightClientCertificate(chain.certificates.get(3).state(),
                        TestChain.sign(chain.certificates.get(3).state(), 0, 1, 2, 3)),
                CHAIN_ID, TABLE, chain.headers.get(3), chain.log.proof(3, 4));
        var lc = answer(3);
        // Claims validator 0 signed nothing while the bitmap says 1, 2, 3 signed: non-signers list changes.
        LightClientAnswer mixed = new LightClientAnswer(lc.state(), lc.certificate(), honest.nonSignerData(), lc.header(),
                lc.headerProof());
        rejected(Reason.INVALID_NON_SIGNER_DATA, () -> verifier.verifyLightClient(mixed));
        var nsd = lc.nonSignerData();
        var cheaper = new LightClientAnswer.NonSignerDataJson(nsd.aggKeyEip2537(), nsd.root(), nsd.count(),
                nsd.totalStakeGwei() - 1, nsd.nonSigners());
        rejected(Reason.INVALID_NON_SIGNER_DATA, () -> verifier.verifyLightClient(
                new LightClientAnswer(lc.state(), lc.certificate(), cheaper, lc.header(), lc.headerProof())));
    }

    @Test
    void headersAndAnswersForOtherQuestionsAreRejected() {
        LightClientAnswer lc = answer(3);
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                lc.certificate(), lc.nonSignerData(), answer(2).header(), lc.headerProof())));
        rejected(Reason.HEADER_NOT_CERTIFIED, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                lc.certificate(), lc.nonSignerData(), lc.header(), answer(2).headerProof())));
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                lc.certificate(), lc.nonSignerData(), null, lc.headerProof())));
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                null, lc.nonSignerData(), lc.header(), lc.headerProof())));
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                lc.certificate(), null, lc.header(), lc.headerProof())));
        var c = lc.certificate();
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                new LightClientAnswer.CertificateJson(c.stakeTableSize(), c.signers(), c.signerCount(), "0x1234",
                        c.signatureEip2537()), lc.nonSignerData(), lc.header(), lc.headerProof())));
        rejected(Reason.INVALID_CERTIFICATE, () -> verifier.verifyLightClient(new LightClientAnswer(lc.state(),
                new LightClientAnswer.CertificateJson(5, "0x0e", 3, c.signature(), c.signatureEip2537()),
                lc.nonSignerData(), lc.header(), lc.headerProof())));
        CertifiedState s = verifier.verifyLightClient(lc);
        BlockAnswer b1 = BlockAnswer.of(chain.headers.get(1), CHAIN_ID, 3L, chain.log.proof(1, 4));
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyBlock(s, b1, 2));
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyBlock(s,
                BlockAnswer.of(chain.headers.get(1), CHAIN_ID, 2L, chain.log.proof(1, 3)), 1));
        rejected(Reason.HEADER_NOT_CERTIFIED, () -> verifier.verifyBlock(s,
                BlockAnswer.of(chain.headers.get(1), CHAIN_ID, null, null), 1));
        rejected(Reason.HEADER_NOT_CERTIFIED, () -> verifier.verifyBlock(s,
                BlockAnswer.of(chain.headers.get(1), CHAIN_ID, 3L, chain.log.proof(2, 4)), 1));
        BlockHeader h1 = verifier.verifyBlock(s, b1, 1);
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyNamespace(h1, TestChain.NS_B,
                NamespaceAnswer.of(1, chain.payloads.get(1).namespaceProof(NS_A))));
        rejected(Reason.INVALID_NAMESPACE_PROOF, () -> verifier.verifyNamespace(h1, NS_A,
                NamespaceAnswer.of(1, chain.payloads.get(2).namespaceProof(NS_A))));
        TransactionProof p = chain.payloads.get(2).transactionProof(NS_A, 0);
        rejected(Reason.INVALID_TRANSACTION_PROOF, () -> verifier.verifyTransaction(h1, TransactionAnswer.of(1, 1, p)));
        TransactionProof q = chain.payloads.get(1).transactionProof(NS_A, 0);
        TransactionProof altered = new TransactionProof(new Transaction(NS_A, new byte[] {1}), 0, q.txPath(),
                q.namespaceLeaf(), q.nsTable(), q.nsPath());
        rejected(Reason.INVALID_TRANSACTION_PROOF, () -> verifier.verifyTransaction(h1, TransactionAnswer.of(1, 1, altered)));
        var malformed = new NamespaceAnswer(1, NS_A.value(), "0xzz", new ArrayList<>(List.of()), null);
        rejected(Reason.MALFORMED_ANSWER, () -> verifier.verifyNamespace(h1, NS_A, malformed));
    }
}
