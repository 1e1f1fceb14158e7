package dev.cortado.node.consensus;

import java.util.Optional;

/**
 * The stateless validators of a configuration's epochs, for checks a driver makes before the core sees a message
 * (the node's proposal screen and catch-up): one {@link CertificateValidator} that measures every certificate by
 * the table of its own epoch, and a {@link MessageValidator} per epoch whose table the source knows. The same
 * tables as the core's ({@link EpochTables}), so a driver never judges by other rules than the core does.
 * Not thread-safe: one instance per thread.
 */
public final class EpochValidators {
    private final ConsensusConfig config;
    private final ConsensusCrypto crypto;
    private final EpochTables tables;
    private final CertificateValidator certificates;

    public EpochValidators(ConsensusConfig config, ConsensusCrypto crypto) {
        this.config = config;
        this.crypto = crypto;
        this.tables = new EpochTables(config);
        this.certificates = new CertificateValidator(config.chainId(), tables::stakes, crypto, Rules.CORRECT);
    }

    /** Checks QCs and TCs of any epoch against that epoch's table (refused when the table is not known). */
    public CertificateValidator certificates() {
        return certificates;
    }

    /** The validator of {@code epoch}'s messages; empty while the table source does not know its table. */
    public Optional<MessageValidator> of(long epoch) {
        return tables.of(epoch).map(t -> new MessageValidator(config.chainId(), epoch, t.stakes(), t.schedule(),
                certificates, crypto));
    }

    public Epochs epochs() {
        return config.epochs();
    }
}
