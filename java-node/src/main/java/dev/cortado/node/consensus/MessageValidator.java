package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/**
 * One stateless validator per message kind (Besu QBFT style): everything about a message that can be
 * checked without the replica's state. Each check returns why the message must be rejected, if it must.
 */
public final class MessageValidator {
    private final long chainId;
    private final StakeWeights stakes;
    private final LeaderSchedule schedule;
    private final CertificateValidator certificates;
    private final ConsensusCrypto crypto;

    public MessageValidator(long chainId, StakeWeights stakes, LeaderSchedule schedule,
            CertificateValidator certificates, ConsensusCrypto crypto) {
        this.chainId = chainId;
        this.stakes = stakes;
        this.schedule = schedule;
        this.certificates = certificates;
        this.crypto = crypto;
    }

    /** Cheap checks first: who sent it, which chain, whether the proposer leads the view. */
    public Optional<String> proposalOrigin(int from, Proposal p) {
        if (from != p.proposer()) {
            return Optional.of("sender " + from + " relayed a proposal of " + p.proposer());
        }
        if (p.leaf().chainId() != chainId) {
            return Optional.of("proposal for chain " + p.leaf().chainId());
        }
        if (schedule.leader(p.leaf().view()) != p.proposer()) {
            return Optional.of(p.proposer() + " is not the leader of " + p.leaf().view());
        }
        return Optional.empty();
    }

    public Optional<String> proposalSignature(Proposal p, Bytes32 leafCommitment) {
        return crypto.verify(p.proposer(), certificates.quorumDigest(p.leaf().view(), leafCommitment), p.signature())
                ? Optional.empty()
                : Optional.of("proposal signature of " + p.proposer() + " does not verify");
    }

    /** The leaf names its justify QC, the view-change rule holds, and the certificates verify. */
    public Optional<String> proposalBody(Proposal p) {
        QuorumCertificate justify = p.justifyQc();
        return VotingRules.leafMatchesJustify(p.leaf(), justify.leafCommitment(), justify.view())
                .or(() -> VotingRules.viewChangeRule(p.leaf().view(), justify, p.viewChange()))
                .or(() -> certificates.checkQc(justify))
                .or(() -> p.viewChange().flatMap(certificates::checkTc));
    }

    public Optional<String> voteOrigin(int from, QuorumVote vote) {
        if (from != vote.voter()) {
            return Optional.of("sender " + from + " relayed a vote of " + vote.voter());
        }
        if (!stakes.contains(vote.voter())) {
            return Optional.of("voter " + vote.voter() + " is not in the stake table");
        }
        return Optional.empty();
    }

    public Optional<String> voteSignature(QuorumVote vote) {
        return crypto.verify(vote.voter(), certificates.quorumDigest(vote.view(), vote.leafCommitment()),
                vote.signature()) ? Optional.empty()
                        : Optional.of("vote signature of " + vote.voter() + " does not verify");
    }

    /** The checks that cost no crypto: sender, stake-table membership, a high QC older than the view. */
    public Optional<String> timeoutVoteOrigin(int from, TimeoutVote vote) {
        if (from != vote.voter()) {
            return Optional.of("sender " + from + " relayed a timeout vote of " + vote.voter());
        }
        if (!stakes.contains(vote.voter())) {
            return Optional.of("voter " + vote.voter() + " is not in the stake table");
        }
        if (!vote.highQc().view().isBefore(vote.view())) {
            return Optional.of("high QC of " + vote.highQc().view() + " is not before " + vote.view());
        }
        return Optional.empty();
    }

    /** The certificates a timeout vote carries (the TC only when asked: a stale one is of no use). */
    public Optional<String> timeoutVoteCertificates(TimeoutVote vote, boolean withTc) {
        return certificates.checkQc(vote.highQc())
                .or(() -> withTc ? vote.lastTc().flatMap(certificates::checkTc) : Optional.empty())
                .map(reason -> "timeout vote of " + vote.voter() + ": " + reason);
    }

    public Optional<String> timeoutVoteSignature(TimeoutVote vote) {
        return crypto.verify(vote.voter(), certificates.timeoutDigest(vote.view(), vote.highQc().view()),
                vote.signature())
                ? Optional.empty()
                : Optional.of("timeout signature of " + vote.voter() + " does not verify");
    }
}
