package dev.cortado.node.consensus;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Checks QCs and TCs: stake above 2/3, then the aggregate signature. Verified certificates are remembered
 * (bounded, by value) because the same high QC and TC arrive inside many timeout votes; so are invalid ones
 * (bounded, by value), so a junk certificate replayed many times costs its pairings once. The negative cache
 * only saves work: its bound is what keeps memory flat, and {@link Misbehaviour} rations a peer that keeps
 * sending fresh junk.
 *
 * <p>Every certificate is measured against the table of its own epoch (its stake, its members, its digest),
 * whatever the epoch of the replica checking it; whether a certificate of that epoch is of any use here is the
 * caller's question.
 */
public final class CertificateValidator {
    private static final int CACHE_ENTRIES = 256;

    private final long chainId;
    private final LongFunction<Optional<StakeWeights>> tables;
    private final ConsensusCrypto crypto;
    private final QuorumCertificate genesisQc;
    private final Map<Object, Boolean> verified = new LinkedHashMap<>(CACHE_ENTRIES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private final Map<Object, String> invalid = new LinkedHashMap<>(CACHE_ENTRIES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, String> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private final Rules rules;

    /** One table for the life of the network: certificates of any other epoch than 0 are refused. */
    public CertificateValidator(long chainId, StakeWeights stakes, ConsensusCrypto crypto) {
        this(chainId, epoch -> epoch == 0 ? Optional.of(stakes) : Optional.empty(), crypto, Rules.CORRECT);
    }

    /** {@code tables} gives each epoch's table, empty when unknown. */
    CertificateValidator(long chainId, LongFunction<Optional<StakeWeights>> tables, ConsensusCrypto crypto,
            Rules rules) {
        this.rules = rules;
        this.chainId = chainId;
        this.tables = tables;
        this.crypto = crypto;
        this.genesisQc = QuorumCertificate.genesis(chainId);
    }

    /** What a quorum vote of epoch 0 signs. */
    public Bytes32 quorumDigest(View view, Bytes32 leafCommitment) {
        return quorumDigest(0, view, leafCommitment);
    }

    public Bytes32 quorumDigest(long epoch, View view, Bytes32 leafCommitment) {
        return Digests.quorumVote(chainId, epoch, view, leafCommitment);
    }

    /** What a timeout vote of epoch 0 for {@code view} signs: the view and the voter's high-QC view. */
    public Bytes32 timeoutDigest(View view, View highQcView) {
        return timeoutDigest(0, view, highQcView);
    }

    public Bytes32 timeoutDigest(long epoch, View view, View highQcView) {
        return Digests.timeoutVote(chainId, epoch, view, highQcView);
    }

    /** Empty when valid; otherwise why not. */
    public Optional<String> checkQc(QuorumCertificate qc) {
        if (qc.isGenesis()) {
            return qc.equals(genesisQc) ? Optional.empty()
                    : Optional.of("a view-0 QC must be the genesis certificate");
        }
        if (verified.containsKey(qc)) {
            return Optional.empty();
        }
        String known = invalid.get(qc);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> stake = checkStake("QC of " + qc.view(), qc.epoch(), qc.signature());
        if (stake.isPresent()) {
            return stake;
        }
        if (!crypto.verifyAggregate(quorumDigest(qc.epoch(), qc.view(), qc.leafCommitment()), qc.signature())) {
            return remember(qc, "aggregate signature of the QC of " + qc.view() + " does not verify");
        }
        verified.put(qc, Boolean.TRUE);
        return Optional.empty();
    }

    private Optional<String> remember(Object certificate, String reason) {
        invalid.put(certificate, reason);
        return Optional.of(reason);
    }

    /** True when {@code certificate} failed verification recently (no crypto is spent to answer). */
    public boolean knownInvalid(Object certificate) {
        return invalid.containsKey(certificate);
    }

    public Optional<String> checkTc(TimeoutCertificate tc) {
        if (verified.containsKey(tc)) {
            return Optional.empty();
        }
        String known = invalid.get(tc);
        if (known != null) {
            return Optional.of(known);
        }
        if (rules.tcProvesHighQc() && tc.highQc().view().isBefore(tc.highestSignedView())) {
            return remember(tc, "TC of " + tc.view() + " carries a QC of " + tc.highQc().view()
                    + " but a signer named one of " + tc.highestSignedView());
        }
        BitSet signers = new BitSet();
        for (TimeoutCertificate.Part part : tc.parts()) {
            if (signers.intersects(part.signature().signers())) {
                return remember(tc, "TC of " + tc.view() + " counts a signer in two parts");
            }
            signers.or(part.signature().signers());
        }
        Optional<String> stake = checkStake("TC of " + tc.view(), tc.epoch(),
                new AggregateSignature(signers, new byte[0]));
        if (stake.isPresent()) {
            return stake;
        }
        Optional<String> high = checkQc(tc.highQc());
        if (high.isPresent()) {
            return remember(tc, "high QC of the TC of " + tc.view() + ": " + high.get());
        }
        for (TimeoutCertificate.Part part : tc.parts()) {
            if (!crypto.verifyPartialAggregate(timeoutDigest(tc.epoch(), tc.view(), part.highQcView()),
                    part.signature())) {
                return remember(tc, "aggregate signature of the TC of " + tc.view() + " (high-QC view "
                        + part.highQcView().value() + ") does not verify");
            }
        }
        verified.put(tc, Boolean.TRUE);
        return Optional.empty();
    }

    private Optional<String> checkStake(String what, long epoch, AggregateSignature signature) {
        // The mutation check's WRONG_EPOCH_TABLE measures every certificate by the genesis table instead.
        Optional<StakeWeights> table = tables.apply(rules.ownEpochTable() ? epoch : 0);
        if (table.isEmpty()) {
            return Optional.of(what + " is of epoch " + epoch + ", whose stake table is not known");
        }
        StakeWeights stakes = table.get();
        long stake = stakes.stakeOf(signature.signers());
        if (stake < 0) {
            return Optional.of(what + " names a signer outside the stake table of epoch " + epoch);
        }
        if (!rules.isQuorum(stakes, stake)) {
            return Optional.of(what + " carries " + stake + " of " + stakes.totalStakeGwei()
                    + " gwei, not more than 2/3");
        }
        return Optional.empty();
    }
}
