package dev.cortado.protocol.epoch;

import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.stake.StakeTable;
import java.util.Objects;

/**
 * The proof that epoch {@code epoch} uses {@code table}: the light-client certificate of the last block of
 * epoch {@code epoch − 1}, whose state names {@code table}'s commitment and which the outgoing table signed.
 * This is exactly what LightClient.sol accepts as a rotation.
 */
public record Handover(long epoch, StakeTable table, LightClientCertificate certificate) {
    public Handover {
        if (epoch < 1) throw new IllegalArgumentException("epoch 0 has the genesis table, not a handover");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Checks the handover against the outgoing epoch's table; cheap checks first, the pairing last. */
    public void verify(EpochSchedule schedule, long chainId, StakeTable outgoing) throws HandoverException {
        long expectedHeight = schedule.lastHeight(epoch - 1);
        long height = certificate.state().height().value();
        if (height != expectedHeight) {
            throw new HandoverException(HandoverException.Reason.WRONG_HEIGHT, "the handover into epoch " + epoch
                    + " is the state of height " + expectedHeight + ", got height " + height);
        }
        if (!certificate.state().stakeTableComm().equals(table.commitment())) {
            throw new HandoverException(HandoverException.Reason.WRONG_NEXT_TABLE, "the state of height " + height
                    + " names table " + certificate.state().stakeTableComm() + ", the offered table is "
                    + table.commitment());
        }
        Verdict v = CertificateVerifier.verify(outgoing, ThresholdKind.QUORUM, certificate.state().digest(chainId),
                certificate.cert());
        if (!v.isValid()) {
            throw new HandoverException(HandoverException.Reason.NOT_SIGNED_BY_OUTGOING, "the handover into epoch "
                    + epoch + " is not certified by epoch " + (epoch - 1) + "'s table " + outgoing.commitment() + ": "
                    + v.reason() + " (" + v.detail() + ")");
        }
    }
}
