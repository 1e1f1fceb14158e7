package dev.cortado.protocol.cert;

import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Collects individual votes on one digest for one threshold kind and forms the certificate as soon as
 * the signers hold more than 2/3 of the kind's stake. Each vote is verified on arrival, so a bad
 * signature can never spoil the aggregate. Holds at most one signature per table entry. Not thread-safe.
 */
public final class SignatureAccumulator {
    public enum Status {
        /** Counted; the threshold is not reached yet. */
        ACCEPTED,
        /** Counted, and this vote crossed the threshold: the certificate is now available. */
        CERTIFIED,
        /** The certificate was already formed; the vote is not needed. */
        ALREADY_CERTIFIED,
        DUPLICATE,
        NOT_A_MEMBER,
        NOT_ELIGIBLE,
        INVALID_SIGNATURE
    }

    /** What happened to one vote, with the certificate once it exists. */
    public record Outcome(Status status, Optional<AggregateCertificate> certificate) {
    }

    private final StakeTable table;
    private final ThresholdKind kind;
    private final Bytes32 digest;
    private final BlsSignature[] signatures;
    private SignerBitmap signers;
    private long signedStakeGwei;
    private AggregateCertificate certificate;

    public SignatureAccumulator(StakeTable table, ThresholdKind kind, Bytes32 digest) {
        this.table = Objects.requireNonNull(table, "table");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.signatures = new BlsSignature[table.size()];
        this.signers = SignerBitmap.empty(table.size());
    }

    public Outcome add(BlsPublicKey signer, BlsSignature signature) {
        OptionalInt index = table.indexOf(signer);
        if (index.isEmpty()) {
            return outcome(Status.NOT_A_MEMBER);
        }
        return add(index.getAsInt(), signature);
    }

    public Outcome add(int signerIndex, BlsSignature signature) {
        if (signerIndex < 0 || signerIndex >= table.size()) {
            return outcome(Status.NOT_A_MEMBER);
        }
        if (certificate != null) {
            return outcome(Status.ALREADY_CERTIFIED);
        }
        StakeEntry entry = table.entry(signerIndex);
        if (!kind.eligible(entry)) {
            return outcome(Status.NOT_ELIGIBLE);
        }
        if (signers.get(signerIndex)) {
            return outcome(Status.DUPLICATE);
        }
        if (!Bls.verify(entry.key(), digest, signature)) {
            return outcome(Status.INVALID_SIGNATURE);
        }
        signatures[signerIndex] = signature;
        signers = signers.with(signerIndex);
        signedStakeGwei += entry.stakeGwei();
        if (StakeTable.exceedsTwoThirds(signedStakeGwei, kind.totalStakeGwei(table))) {
            certificate = new AggregateCertificate(kind, digest, signers,
                    Bls.aggregate(signers.signers().mapToObj(i -> signatures[i]).toList()));
            return outcome(Status.CERTIFIED);
        }
        return outcome(Status.ACCEPTED);
    }

    private Outcome outcome(Status status) {
        return new Outcome(status, Optional.ofNullable(certificate));
    }

    public Optional<AggregateCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    public long signedStakeGwei() {
        return signedStakeGwei;
    }

    public SignerBitmap signers() {
        return signers;
    }

    public Bytes32 digest() {
        return digest;
    }

    public ThresholdKind kind() {
        return kind;
    }
}
