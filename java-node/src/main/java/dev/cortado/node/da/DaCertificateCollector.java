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
 * committee members only). Each vote is checked on arrival. Not thread-safe.
 */
public final class DaCertificateCollector {
    private final long chainId;
    private final BlockHeader header;
    private final dev.cortado.protocol.types.Bytes32 headerCommitment;
    private final SignatureAccumulator accumulator;

    public DaCertificateCollector(long chainId, StakeTable table, BlockHeader header) {
        this.chainId = chainId;
        this.header = header;
        this.headerCommitment = header.commitment(chainId);
        this.accumulator = new SignatureAccumulator(table, ThresholdKind.DA_COMMITTEE, digest(chainId, header));
    }

    /** Adds a vote; a vote for another header (or its commitments) is reported as WRONG_PROPOSAL. */
    public Result add(DaVote vote) {
        if (!vote.view().equals(header.view()) || !vote.headerCommitment().equals(headerCommitment)
                || !vote.payloadRoot().equals(header.payloadRoot())
                || !vote.vidRoot().equals(header.vidRoot())) {
            return new Result.WrongProposal(vote);
        }
        return new Result.Counted(accumulator.add(vote.signerIndex(), vote.signature()));
    }

    public Optional<AggregateCertificate> certificate() {
        return accumulator.certificate();
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
    }

    /** Checks a DA certificate for {@code header} as a replica receiving it with the proposal. */
    public static Verdict verify(long chainId, StakeTable table, BlockHeader header, AggregateCertificate cert) {
        return CertificateVerifier.verify(table, ThresholdKind.DA_COMMITTEE, digest(chainId, header), cert);
    }

    /** What DA votes and certificates for {@code header} sign: the header itself, not only its payload. */
    public static dev.cortado.protocol.types.Bytes32 digest(long chainId, BlockHeader header) {
        return Digests.daVoteForHeader(chainId, header.view(), header.commitment(chainId), header.payloadRoot(),
                header.vidRoot());
    }
}
