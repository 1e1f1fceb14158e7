package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.CertificateValidator;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.QuorumVote;
import dev.cortado.node.consensus.RuleVariants;
import dev.cortado.node.consensus.Signature;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.TimeoutCertificate;
import dev.cortado.node.consensus.TimeoutVote;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The certificates a {@link ByzantineReplica} can put together for its coalition: QCs from the (already checked)
 * votes addressed to it, and TCs from the timeout votes the coalition collected, optionally with its own. Apart from
 * the replica because this is the stake and aggregation arithmetic, the same for every adversary, while the replica
 * is the message plumbing; it draws no randomness, so runs replay as before.
 */
final class CoalitionCertificates {
    /** A QC this replica just formed, and the votes it was made of (the adversary may reveal them). */
    record Formed(QuorumCertificate qc, List<QuorumVote> votes) {
    }

    private final int index;
    private final long chainId;
    private final RuleVariants.Variant variant;
    private final StakeWeights stakes;
    private final ConsensusCrypto crypto;
    private final CertificateValidator certificates;
    private final ConsensusSigner signer;
    private final Coalition coalition;
    private final TreeMap<View, Map<Bytes32, TreeMap<Integer, QuorumVote>>> votesToMe = new TreeMap<>();
    private final Set<View> formed = new HashSet<>();

    CoalitionCertificates(int index, long chainId, RuleVariants.Variant variant, StakeWeights stakes,
            ConsensusCrypto crypto, CertificateValidator certificates, ConsensusSigner signer, Coalition coalition) {
        this.index = index;
        this.chainId = chainId;
        this.variant = variant;
        this.stakes = stakes;
        this.crypto = crypto;
        this.certificates = certificates;
        this.signer = signer;
        this.coalition = coalition;
    }

    /** Whether a QC for {@code view} was already formed here (later votes for it are ignored). */
    boolean formed(View view) {
        return formed.contains(view);
    }

    /**
     * Counts a checked vote addressed to this replica; when its leaf reaches a quorum, forms the QC, teaches it to the
     * coalition (as not yet public) and returns it. Null while short of a quorum.
     */
    Formed collect(QuorumVote vote) {
        TreeMap<Integer, QuorumVote> forLeaf = votesToMe.computeIfAbsent(vote.view(), v -> new HashMap<>())
                .computeIfAbsent(vote.leafCommitment(), l -> new TreeMap<>());
        forLeaf.putIfAbsent(vote.voter(), vote);
        long stake = 0;
        for (int voter : forLeaf.keySet()) {
            stake += stakes.stakeGwei(voter);
        }
        if (!RuleVariants.isQuorum(variant, stakes, stake)) {
            return null;
        }
        formed.add(vote.view());
        TreeMap<Integer, Signature> signatures = new TreeMap<>();
        forLeaf.forEach((voter, v) -> signatures.put(voter, v.signature()));
        QuorumCertificate qc = new QuorumCertificate(vote.view(), vote.leafCommitment(),
                crypto.aggregate(certificates.quorumDigest(vote.view(), vote.leafCommitment()), signatures));
        coalition.learnQc(qc, true);
        votesToMe.headMap(View.of(Math.max(0, vote.view().value() - 8))).clear();
        formed.removeIf(v -> v.value() + 8 < vote.view().value());
        return new Formed(qc, List.copyOf(forLeaf.values()));
    }

    /** A TC for {@code view}: one the coalition knows, else one from its timeout votes carrying their highest QC. */
    Optional<TimeoutCertificate> tcFor(View view) {
        TimeoutCertificate known = coalition.tc(view);
        if (known != null) {
            return Optional.of(known);
        }
        QuorumCertificate carry = QuorumCertificate.genesis(chainId);
        for (TimeoutVote v : coalition.timeoutVotes(view).values()) {
            carry = carry.max(v.highQc());
        }
        return assemble(view, carry, false);
    }

    /** A TC for {@code view} carrying {@code carry}, this replica signing its own part for that QC. */
    Optional<TimeoutCertificate> tcCarrying(View view, QuorumCertificate carry) {
        return carry.view().isBefore(view) ? assemble(view, carry, true) : Optional.empty();
    }

    private Optional<TimeoutCertificate> assemble(View view, QuorumCertificate carry, boolean signOwn) {
        Map<Integer, View> signedView = new HashMap<>();
        Map<Integer, Signature> signature = new HashMap<>();
        coalition.timeoutVotes(view).forEach((voter, v) -> {
            signedView.put(voter, v.highQc().view());
            signature.put(voter, v.signature());
        });
        if (signOwn) {
            signedView.put(index, carry.view());
            signature.put(index, signer.sign(certificates.timeoutDigest(view, carry.view())));
        }
        long stake = 0;
        for (int voter : signedView.keySet()) {
            stake += stakes.stakeGwei(voter);
        }
        if (signedView.isEmpty() || !RuleVariants.isQuorum(variant, stakes, stake)) {
            return Optional.empty();
        }
        TreeMap<View, TreeMap<Integer, Signature>> byView = new TreeMap<>();
        signedView.forEach((voter, hv) -> byView.computeIfAbsent(hv, x -> new TreeMap<>()).put(voter,
                signature.get(voter)));
        List<TimeoutCertificate.Part> parts = new ArrayList<>();
        byView.forEach((hv, sigs) -> parts.add(new TimeoutCertificate.Part(hv,
                crypto.aggregate(certificates.timeoutDigest(view, hv), sigs))));
        TimeoutCertificate tc = new TimeoutCertificate(view, carry, parts);
        if (!signOwn) {
            coalition.learnTc(tc);
        }
        return Optional.of(tc);
    }
}
