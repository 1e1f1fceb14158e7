package dev.cortado.protocol.cert;

import dev.cortado.protocol.stake.StakeTable;
import java.util.Objects;

/** A light-client state with the quorum certificate over its digest. */
public record LightClientCertificate(LightClientState state, AggregateCertificate cert) {
    public LightClientCertificate {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(cert, "cert");
    }

    /**
     * Checks that the state names {@code table}, that the certificate is a quorum certificate over the
     * state's digest for {@code chainId}, and the certificate itself.
     */
    public Verdict verify(StakeTable table, long chainId) {
        if (!state.stakeTableComm().equals(table.commitment())) {
            return new Verdict(Verdict.Reason.WRONG_STAKE_TABLE, 0, table.totalStakeGwei(),
                    "state names stake table " + state.stakeTableComm() + ", verifying against " + table.commitment());
        }
        return CertificateVerifier.verify(table, ThresholdKind.QUORUM, state.digest(chainId), cert);
    }

    /** The calldata LightClient.sol needs to check this certificate's signers. */
    public NonSignerData nonSignerData(StakeTable table) {
        return NonSignerData.build(table, cert.signers());
    }
}
