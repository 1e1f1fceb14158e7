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
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.protocol.epoch.Handover;
import dev.cortado.protocol.epoch.HandoverException;
import dev.cortado.protocol.epoch.ValidatorLedger;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Verifies node answers with nothing but the chain id and trusted stake tables: light-client
 * certificates (more than 2/3 of the stake, one pairing check), headers against a certified
 * {@code blockCommRoot}, and namespace and transaction proofs against verified headers. Every failure
 * is a {@link LightClientVerificationException} with a {@link Reason}. Thread-safe.
 *
 * <p>Either one table signs every state (the network never changes its validators), or the verifier
 * follows epochs: it starts from a trusted genesis table and admits each next epoch's table only through
 * a handover the outgoing table signed ({@link #acceptEpoch}); a state is then checked against the table
 * of its own height's epoch.
 */
public final class LightClientVerifier {
    private final long chainId;
    private final StakeTable fixedTable;
    private final EpochHistory epochs;

    public LightClientVerifier(long chainId, StakeTable stakeTable) {
        this.chainId = chainId;
        this.fixedTable = stakeTable;
        this.epochs = null;
    }

    private LightClientVerifier(long chainId, EpochHistory epochs) {
        this.chainId = chainId;
        this.fixedTable = null;
        this.epochs = epochs;
    }

    /** A verifier that follows the chain of handovers from {@code history}'s genesis table. */
    public static LightClientVerifier followingEpochs(long chainId, EpochHistory history) {
        return new LightClientVerifier(chainId, history);
    }

    public long chainId() {
        return chainId;
    }

    /** The table that signs the newest states: the fixed one, or the newest epoch's. */
    public StakeTable stakeTable() {
        return epochs == null ? fixedTable : epochs.latestTable();
    }

    /** The epochs followed so far; empty for a verifier with one fixed table. */
    public Optional<EpochHistory> epochs() {
        return Optional.ofNullable(epochs);
    }

    /**
     * Admits the table of the epoch after the newest known one: the handover must be the light-client
     * state of the previous epoch's last block, signed by the previous table (checked first, one
     * pairing), and name exactly the offered table (whose keys are parsed only then).
     */
    public void acceptEpoch(EpochAnswer answer) {
        if (epochs == null) {
            throw new IllegalStateException("this verifier trusts one fixed table and follows no epochs");
        }
        long expected = epochs.latestEpoch() + 1;
        if (answer.epoch() != expected) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "asked for epoch " + expected
                    + ", got epoch " + answer.epoch());
        }
        if (answer.handover() == null || answer.table() == null) {
            throw new LightClientVerificationException(Reason.INVALID_HANDOVER, "epoch " + expected
                    + " comes without its table or handover");
        }
        if (answer.table().size() > ValidatorLedger.MAX_ACTIVE) {
            throw new LightClientVerificationException(Reason.INVALID_HANDOVER, "epoch " + expected + "'s table has "
                    + answer.table().size() + " entries; L1 holds at most " + ValidatorLedger.MAX_ACTIVE);
        }
        LightClientCertificate lc = decode(() -> answer.handover().toCertificate(chainId), "handover");
        long lastHeight = epochs.schedule().lastHeight(expected - 1);
        if (lc.state().height().value() != lastHeight) {
            throw new LightClientVerificationException(Reason.INVALID_HANDOVER, "the handover into epoch " + expected
                    + " is the state of height " + lastHeight + ", got height " + lc.state().height().value());
        }
        StakeTable outgoing = epochs.latestTable();
        Verdict v = CertificateVerifier.verify(outgoing, ThresholdKind.QUORUM, lc.state().digest(chainId), lc.cert());
        if (!v.isValid()) {
            throw new LightClientVerificationException(Reason.INVALID_HANDOVER, "the handover into epoch " + expected
                    + " is not signed by epoch " + (expected - 1) + "'s table: " + v.reason() + " (" + v.detail() + ")");
        }
        StakeTable incoming = decode(answer::toTable, "epoch " + expected + "'s table");
        try {
            epochs.accept(new Handover(expected, incoming, lc));
        } catch (HandoverException e) {
            throw new LightClientVerificationException(Reason.INVALID_HANDOVER, e.getMessage(), e);
        }
    }

    /** The table that signs the state of {@code height}, and the commitment that state must name (null: any). */
    private record Signer(StakeTable table, Bytes32 namedComm) {
    }

    private Signer signerOf(long height) {
        if (epochs == null) return new Signer(fixedTable, fixedTable.commitment());
        long epoch = epochs.schedule().epochOf(height);
        StakeTable own = epochs.tableOf(epoch).orElseThrow(() -> new LightClientVerificationException(
                Reason.EPOCH_NOT_FOLLOWED, "height " + height + " is in epoch " + epoch + "; this client knows epochs "
                + epochs.oldestEpoch() + ".." + epochs.latestEpoch()));
        if (!epochs.schedule().isLastOfEpoch(height)) return new Signer(own, own.commitment());
        // The epoch's last state names the next table; if that table is not admitted yet, the state's own
        // (signed) claim is what a later handover will be checked against.
        return new Signer(own, epochs.tableOf(epoch + 1).map(StakeTable::commitment).orElse(null));
    }

    /** Checks the certificate, the non-signer data and the state's own header. */
    public CertifiedState verifyLightClient(LightClientAnswer answer) {
        LightClientCertificate lc = decode(() -> answer.toCertificate(chainId), "light-client answer");
        Signer signer = signerOf(lc.state().height().value());
        StakeTable stakeTable = signer.table();
        Verdict verdict = signer.namedComm() != null && !lc.state().stakeTableComm().equals(signer.namedComm())
                ? new Verdict(Verdict.Reason.WRONG_STAKE_TABLE, 0, stakeTable.totalStakeGwei(), "state names stake table "
                        + lc.state().stakeTableComm() + ", expected " + signer.namedComm())
                : CertificateVerifier.verify(stakeTable, ThresholdKind.QUORUM, lc.state().digest(chainId), lc.cert());
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
        checkNonSignerData(answer, lc, stakeTable);
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

    private void checkNonSignerData(LightClientAnswer answer, LightClientCertificate lc, StakeTable stakeTable) {
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
