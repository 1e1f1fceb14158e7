package dev.cortado.node.runtime;

import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.net.WireReader;
import java.util.Optional;

/** Reads the QC a node stored with a decided block, for tests outside this package (the codec is internal). */
public final class StoredCertificates {
    private static final NodeCodec CODEC = new NodeCodec(NodeCodec.Limits.forBlockBytes(1 << 20));

    private StoredCertificates() {}

    /** The QC on {@code b}; empty when the node stored none (the genesis block). */
    public static Optional<QuorumCertificate> qc(DecidedBlock b) {
        if (b.qc().length == 0) {
            return Optional.empty();
        }
        WireReader r = new WireReader(b.qc());
        QuorumCertificate qc = CODEC.qc(r);
        r.finish("stored qc");
        return Optional.of(qc);
    }
}
