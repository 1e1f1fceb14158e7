package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/**
 * One stateless validator per message kind (Besu QBFT style): everything about a message that can be
 * checked without the replica's state. Each check returns why the message must be rejected, if it must. One
 * validator serves one epoch: its stakes say who is a member, its schedule who leads; the caller has checked
 * that the message names this epoch.
 */
public final class MessageValidator {
    private final long chainId;
    private final long epoch;
    private final StakeWeights stakes;
    private final LeaderSchedule schedule;
    private final CertificateValidator certificates;
    private final ConsensusCrypto crypto;

    /** The validator of a network without epochs. */
    public MessageValidator(long chainId, StakeWeights stakes, LeaderSchedule schedule,
            CertificateValidator certificates, ConsensusCrypto crypto) {
        this(chainId, 0, stakes, schedule, certificates, crypto);
    }

    public MessageValidator(long chainId, long epoch, StakeWeights stakes, LeaderSchedule schedule,
            CertificateValidator certificates, ConsensusCrypto crypto) {
        this.chainId = chainId;
        this.epoch = epoch;
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
        return crypto.verify(p.proposer(), certificates.quorumDigest(epoch, p.leaf().view(), leafCommitment),
                p.signature())
                ? Optional.empty()
                : Optional.of("proposal signature of " + p.proposer() + " does not verify");
    }

    /** The leaf names its justify QC, the view-change rule holds, and the certificates verify. */
    public Optional<String> proposalBody(Proposal p) {
        return proposalBody(p, false);
    }

    /**
     * As {@link #proposalBody(Proposal)}; {@code startsEpoch}: the justify QC is the previous epoch's QC on its
     * decided handover leaf. The new table has certified nothing yet, so such a proposal is valid in any view
     * without a TC (views stay globally monotone, votes stay one per view); with a TC, the TC must be of this
     * epoch and for the view before, as always.
     */
    public Optional<String> proposalBody(Proposal p, boolean startsEpoch) {
        QuorumCertificate justify = p.justifyQc();
        Optional<String> tcEpoch = p.viewChange().filter(tc -> tc.epoch() != epoch)
                .map(tc -> "the proposal's TC is of epoch " + tc.epoch() + ", not " + epoch);
        return VotingRules.leafMatchesJustify(p.leaf(), justify.leafCommitment(), justify.view())
                .or(() -> tcEpoch)
                .or(() -> startsEpoch && p.viewChange().isEmpty() ? Optional.empty()
                        : VotingRules.viewChangeRule(p.leaf().view(), justify, p.viewChange()))
                .or(() -> certificates.checkQc(justify))
                .or(() -> p.viewChange().flatMap(certificates::checkTc));
    }

    public Optional<String> voteOrigin(int from, QuorumVote vote) {
        if (from != vote.voter()) {
            return Optional.of("sender " + from + " relayed a vote of " + vote.voter());
        }
        return membership(vote.voter());
    }

    private Optional<String> membership(int voter) {
        if (!stakes.contains(voter)) {
            return Optional.of("voter " + voter + " is not in the stake table");
        }
        if (!stakes.isMember(voter)) {
            return Optional.of("voter " + voter + " is not a member of the stake table of epoch " + epoch);
        }
        return Optional.empty();
    }

    public Optional<String> voteSignature(QuorumVote vote) {
        return crypto.verify(vote.voter(), certificates.quorumDigest(epoch, vote.view(), vote.leafCommitment()),
                vote.signature()) ? Optional.empty()
                        : Optional.of("vote signature of " + vote.voter() + " does not verify");
    }

    /** The checks that cost no crypto: sender, stake-table membership, a high QC older than the view. */
    public Optional<String> timeoutVoteOrigin(int from, TimeoutVote vote) {
        if (from != vote.voter()) {
            return Optional.of("sender " + from + " relayed a timeout vote of " + vote.voter());
        }
        Optional<String> member = membership(vote.voter());
        if (member.isPresent()) {
            return member;
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
        return crypto.verify(vote.voter(), certificates.timeoutDigest(epoch, vote.view(), vote.highQc().view()),
                vote.signature())
                ? Optional.empty()
                : Optional.of("timeout signature of " + vote.voter() + " does not verify");
    }
}
