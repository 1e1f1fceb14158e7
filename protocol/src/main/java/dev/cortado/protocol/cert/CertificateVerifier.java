package dev.cortado.protocol.cert;

import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks aggregate certificates against a stake table: signers in range and eligible for the
 * certificate's kind, more than 2/3 of the kind's stake, then one pairing check against the sum of
 * the signers' pre-checked keys. Stateless and thread-safe.
 */
public final class CertificateVerifier {
    private CertificateVerifier() {
    }

    /** Verifies a certificate that must be of {@code kind} and sign {@code expectedDigest}. */
    public static Verdict verify(StakeTable table, ThresholdKind kind, Bytes32 expectedDigest,
            AggregateCertificate cert) {
        if (!cert.kind().equals(kind)) {
            return Verdict.invalid(Verdict.Reason.WRONG_KIND, 0, 0,
                    "expected a " + kind.label() + " certificate, got " + cert.kind().label());
        }
        if (!cert.digest().equals(expectedDigest)) {
            return Verdict.invalid(Verdict.Reason.WRONG_DIGEST, 0, 0,
                    "certificate signs " + cert.digest() + ", expected " + expectedDigest);
        }
        return verify(table, cert);
    }

    /** Verifies a certificate on the digest it carries. */
    public static Verdict verify(StakeTable table, AggregateCertificate cert) {
        ThresholdKind kind = cert.kind();
        long total = kind.totalStakeGwei(table);
        SignerBitmap signers = cert.signers();
        if (signers.size() != table.size()) {
            return Verdict.invalid(Verdict.Reason.BITMAP_SIZE_MISMATCH, 0, total,
                    "bitmap covers " + signers.size() + " entries, table has " + table.size());
        }
        long signed = 0;
        int eligibleCount = 0;
        for (int i = 0; i < table.size(); i++) {
            StakeEntry e = table.entry(i);
            boolean eligible = kind.eligible(e);
            if (signers.get(i)) {
                if (!eligible) {
                    return Verdict.invalid(Verdict.Reason.SIGNER_NOT_ELIGIBLE, signed, total,
                            "signer " + i + " is not eligible for a " + kind.label() + " certificate");
                }
                signed += e.stakeGwei();
            }
            if (eligible) {
                eligibleCount++;
            }
        }
        if (!StakeTable.exceedsTwoThirds(signed, total)) {
            return Verdict.invalid(Verdict.Reason.INSUFFICIENT_STAKE, signed, total,
                    "signed " + signed + " of " + total + " gwei, need more than two thirds");
        }
        BlsPublicKey key = signersKey(table, kind, signers, eligibleCount);
        if (!Bls.fastAggregateVerify(key, cert.digest(), cert.signature())) {
            return Verdict.invalid(Verdict.Reason.BAD_SIGNATURE, signed, total,
                    "aggregate signature does not verify for the " + signers.count() + " signers");
        }
        return Verdict.valid(signed, total);
    }

    /**
     * Sum of the signers' keys. With a quorum most eligible members sign, so starting from the
     * precomputed sum of all eligible keys and removing the few absent ones costs fewer additions.
     */
    static BlsPublicKey signersKey(StakeTable table, ThresholdKind kind, SignerBitmap signers, int eligibleCount) {
        int signerCount = signers.count();
        int absent = eligibleCount - signerCount;
        if (absent < signerCount) {
            BlsPublicKey all = switch (kind) {
                case ThresholdKind.Quorum q -> table.aggregateKey();
                case ThresholdKind.DaCommittee d -> table.committeeAggregateKey().orElseThrow();
            };
            if (absent == 0) {
                return all;
            }
            List<BlsPublicKey> missing = new ArrayList<>(absent);
            for (int i = 0; i < table.size(); i++) {
                if (!signers.get(i) && kind.eligible(table.entry(i))) {
                    missing.add(table.entry(i).key());
                }
            }
            return Bls.subtractKeys(all, missing);
        }
        List<BlsPublicKey> keys = new ArrayList<>(signerCount);
        signers.signers().forEach(i -> keys.add(table.entry(i).key()));
        return Bls.sumKeys(keys);
    }
}
