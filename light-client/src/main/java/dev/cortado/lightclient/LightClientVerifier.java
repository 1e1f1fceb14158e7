package dev.cortado.lightclient;

import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.ProofVerificationException;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.block.TransactionProof;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeTable;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Verifies node answers with nothing but the chain id and a trusted stake table: light-client
 * certificates (more than 2/3 of the stake, one pairing check), headers against a certified
 * {@code blockCommRoot}, and namespace and transaction proofs against verified headers. Every failure
 * is a {@link LightClientVerificationException} with a {@link Reason}. Stateless and thread-safe.
 */
public final class LightClientVerifier {
    private final long chainId;
    private final StakeTable stakeTable;

    public LightClientVerifier(long chainId, StakeTable stakeTable) {
        this.chainId = chainId;
        this.stakeTable = stakeTable;
    }

    public long chainId() {
        return chainId;
    }

    public StakeTable stakeTable() {
        return stakeTable;
    }

    /** Checks the certificate, the non-signer data and the state's own header. */
    public CertifiedState verifyLightClient(LightClientAnswer answer) {
        LightClientCertificate lc = decode(() -> answer.toCertificate(chainId), "light-client answer");
        Verdict verdict = lc.verify(stakeTable, chainId);
        if (!verdict.isValid()) {
            Reason reason = switch (verdict.reason()) {
                case WRONG_STAKE_TABLE -> Reason.WRONG_STAKE_TABLE;
                case INSUFFICIENT_STAKE -> Reason.INSUFFICIENT_STAKE;
                case VALID, WRONG_KIND, WRONG_DIGEST, BITMAP_SIZE_MISMATCH, SIGNER_NOT_ELIGIBLE, BAD_SIGNATURE ->
                        Reason.INVALID_CERTIFICATE;
            };
            throw new LightClientVerificationException(reason, "light-client certificate for height "
                    + lc.state().height().value() + " rejected (" + verdict.reason() + ", signed "
                    + verdict.signedStakeGwei() + " of " + verdict.thresholdTotalGwei() + " gwei): " + verdict.detail());
        }
        checkNonSignerData(answer, lc);
        BlockHeader header = decode(() -> required(answer.header(), "header").toHeader(), "light-client header");
        MerkleProof proof = decode(() -> required(answer.headerProof(), "headerProof").toProof(), "light-client header proof");
        long height = lc.state().height().value();
        if (header.height().value() != height) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "state is for height " + height
                    + " but the header is for " + header.height().value());
        }
        CertifiedState certified = new CertifiedState(lc.state(), header);
        checkHeader(certified, header, proof);
        return certified;
    }

    private void checkNonSignerData(LightClientAnswer answer, LightClientCertificate lc) {
        NonSignerData given = decode(() -> required(answer.nonSignerData(), "nonSignerData").toData(), "non-signer data");
        NonSignerData expected = lc.nonSignerData(stakeTable);
        boolean same = Arrays.equals(given.aggKeyEip2537(), expected.aggKeyEip2537()) && given.root().equals(expected.root())
                && given.count() == expected.count() && given.totalStakeGwei() == expected.totalStakeGwei()
                && given.nonSigners().size() == expected.nonSigners().size();
        for (int i = 0; same && i < given.nonSigners().size(); i++) {
            var g = given.nonSigners().get(i);
            var e = expected.nonSigners().get(i);
            same = g.index() == e.index() && Arrays.equals(g.pkEip2537(), e.pkEip2537()) && g.stakeGwei() == e.stakeGwei()
                    && g.isDa() == e.isDa() && g.siblings().equals(e.siblings());
        }
        if (!same) {
            throw new LightClientVerificationException(Reason.INVALID_NON_SIGNER_DATA,
                    "non-signer data does not match the stake table and the signer bitmap; L1 would refuse it");
        }
    }

    /** Checks {@code header} against the certified state's root; the proof must cover exactly its headers. */
    public void checkHeader(CertifiedState certified, BlockHeader header, MerkleProof proof) {
        long h = header.height().value();
        if (h > certified.height() || proof.index() != h || proof.leafCount() != certified.headerCount()) {
            throw new LightClientVerificationException(Reason.HEADER_NOT_CERTIFIED, "header " + h + " with a proof for leaf "
                    + proof.index() + " of " + proof.leafCount() + " cannot be checked against the state of height "
                    + certified.height());
        }
        if (!BlockCommitmentLog.verify(certified.state().blockCommRoot(), certified.headerCount(),
                header.commitment(chainId), proof)) {
            throw new LightClientVerificationException(Reason.HEADER_NOT_CERTIFIED, "header " + h + " (commitment "
                    + header.commitment(chainId) + ") is not in the chain certified at height " + certified.height());
        }
    }

    /**
     * Checks a block answer for {@code expectedHeight} against {@code certified}, which must be the
     * state of the answer's {@code certifiedHeight}.
     */
    public BlockHeader verifyBlock(CertifiedState certified, BlockAnswer answer, long expectedHeight) {
        BlockHeader header = decode(() -> required(answer.header(), "header").toHeader(), "block answer");
        if (header.height().value() != expectedHeight) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "asked for block " + expectedHeight
                    + ", got header " + header.height().value());
        }
        if (answer.headerProof() == null || answer.certifiedHeight() == null) {
            throw new LightClientVerificationException(Reason.HEADER_NOT_CERTIFIED, "block " + expectedHeight
                    + " comes without a proof against a certified state");
        }
        if (answer.certifiedHeight() != certified.height()) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "block proof is against height "
                    + answer.certifiedHeight() + ", verifying against " + certified.height());
        }
        checkHeader(certified, header, decode(() -> answer.headerProof().toProof(), "block header proof"));
        return header;
    }

    /** The namespace's transactions in {@code header}'s block, proven complete and in order. */
    public List<Transaction> verifyNamespace(BlockHeader header, NamespaceId namespace, NamespaceAnswer answer) {
        if (answer.height() != header.height().value() || answer.namespace() != namespace.value()) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "asked for " + namespace + " at height "
                    + header.height().value() + ", got ns" + answer.namespace() + " at " + answer.height());
        }
        NamespaceProof proof = decode(answer::toProof, "namespace answer");
        try {
            return proof.verify(header);
        } catch (ProofVerificationException e) {
            throw new LightClientVerificationException(Reason.INVALID_NAMESPACE_PROOF, e.getMessage(), e);
        }
    }

    public Transaction verifyTransaction(BlockHeader header, TransactionAnswer answer) {
        if (answer.height() != header.height().value()) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "transaction answer is for height "
                    + answer.height() + ", header is " + header.height().value());
        }
        TransactionProof proof = decode(answer::toProof, "transaction answer");
        try {
            return proof.verify(header);
        } catch (ProofVerificationException e) {
            throw new LightClientVerificationException(Reason.INVALID_TRANSACTION_PROOF, e.getMessage(), e);
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }

    private static <T> T decode(Supplier<T> decoder, String what) {
        try {
            return decoder.get();
        } catch (IllegalArgumentException e) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, what + " is malformed: " + e.getMessage(), e);
        }
    }
}
