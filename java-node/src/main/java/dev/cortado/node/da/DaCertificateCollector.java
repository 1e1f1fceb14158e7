package dev.cortado.node.da;

import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.SignatureAccumulator;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.stake.StakeTable;
import java.util.Optional;

/**
 * Gathers DA votes for one proposal into a DA certificate (more than 2/3 of the committee's stake,
 * committee members only). Each vote is checked on arrival. Votes and the certificate's bitmap name signers by
 * universe index; the committee is the one of the block's epoch ({@link DaCommittee}). Not thread-safe.
 */
public final class DaCertificateCollector {
    private final long chainId;
    private final BlockHeader header;
    private final dev.cortado.protocol.types.Bytes32 headerCommitment;
    private final DaCommittee committee;
    private final SignatureAccumulator accumulator;

    /** A collector over a protocol table whose positions are the signer indices (its {@code isDa} entries vote). */
    public DaCertificateCollector(long chainId, StakeTable table, BlockHeader header) {
        this(chainId, DaCommittee.ofTable(table), header);
    }

    /** @throws IllegalArgumentException when the epoch has no committee (nobody could vote) */
    public DaCertificateCollector(long chainId, DaCommittee committee, BlockHeader header) {
        this.chainId = chainId;
        this.header = header;
        this.headerCommitment = header.commitment(chainId);
        this.committee = committee;
        this.accumulator = new SignatureAccumulator(committee.table().orElseThrow(() ->
                new IllegalArgumentException("epoch " + committee.epoch() + " has no DA committee")),
                ThresholdKind.DA_COMMITTEE, digest(chainId, header));
    }

    /** Adds a vote; a vote for another header (or its commitments) is reported as WRONG_PROPOSAL. */
    public Result add(DaVote vote) {
        if (!vote.view().equals(header.view()) || !vote.headerCommitment().equals(headerCommitment)
                || !vote.payloadRoot().equals(header.payloadRoot())
                || !vote.vidRoot().equals(header.vidRoot())) {
            return new Result.WrongProposal(vote);
        }
        if (!committee.isMember(vote.signerIndex())) {
            return new Result.NotMember(vote);
        }
        return new Result.Counted(accumulator.add(committee.position(vote.signerIndex()), vote.signature()));
    }

    /** The certificate once formed, its bitmap over the universe (what travels and what {@link #verify} takes). */
    public Optional<AggregateCertificate> certificate() {
        return accumulator.certificate().map(c -> new AggregateCertificate(c.kind(), c.digest(),
                committee.toUniverse(c.signers()), c.signature()));
    }

    public long signedStakeGwei() {
        return accumulator.signedStakeGwei();
    }

    public long chainId() {
        return chainId;
    }

    /** The outcome of one vote. */
    public sealed interface Result {
        record Counted(SignatureAccumulator.Outcome outcome) implements Result {
        }

        record WrongProposal(DaVote vote) implements Result {
        }

        /** The signer is not on the committee of the block's epoch (an exited member, say). */
        record NotMember(DaVote vote) implements Result {
        }
    }

    /** Checks a DA certificate for {@code header} as a replica receiving it with the proposal. */
    public static Verdict verify(long chainId, StakeTable table, BlockHeader header, AggregateCertificate cert) {
        return verify(chainId, DaCommittee.ofTable(table), header, cert);
    }

    /**
     * Checks a DA certificate whose bitmap is over the universe against the committee of the block's epoch: a
     * signer outside it is refused before any key is summed or pairing run.
     */
    public static Verdict verify(long chainId, DaCommittee committee, BlockHeader header, AggregateCertificate cert) {
        return switch (committee.toTable(cert.signers())) {
            case DaCommittee.Mapped.Refused r -> new Verdict(r.reason(), 0, 0, r.detail());
            case DaCommittee.Mapped.Ok ok -> CertificateVerifier.verify(committee.table().orElseThrow(),
                    ThresholdKind.DA_COMMITTEE, digest(chainId, header),
                    new AggregateCertificate(cert.kind(), cert.digest(), ok.overTable(), cert.signature()));
        };
    }

    /** What DA votes and certificates for {@code header} sign: the header itself, not only its payload. */
    public static dev.cortado.protocol.types.Bytes32 digest(long chainId, BlockHeader header) {
        return Digests.daVoteForHeader(chainId, header.view(), header.commitment(chainId), header.payloadRoot(),
                header.vidRoot());
    }
}
