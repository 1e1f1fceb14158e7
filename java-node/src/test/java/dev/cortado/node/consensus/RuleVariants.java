package dev.cortado.node.consensus;

import java.util.Optional;

/**
 * Test-only door to the package-private {@link Rules}: the simulator (another package) builds cores with one
 * rule deliberately broken, for the mutation check. Main code has no such door.
 */
public final class RuleVariants {
    /** The correct rules and the seven broken variants the mutation check must catch. */
    public enum Variant {
        CORRECT(Rules.CORRECT),
        DECIDE_WITHOUT_CONSECUTIVE_VIEWS(new Rules(false, true, true, true, true)),
        VOTE_WITHOUT_LOCK_CHECK(new Rules(true, false, true, true, true)),
        QC_AT_EXACTLY_TWO_THIRDS(new Rules(true, true, false, true, true)),
        TC_WITHOUT_HIGH_QC_PROOF(new Rules(true, true, true, false, true)),
        DA_GATE_IGNORED(new Rules(true, true, true, true, false)),
        HANDOVER_UNCHECKED(new Rules(true, true, true, true, true, false, true)),
        WRONG_EPOCH_TABLE(new Rules(true, true, true, true, true, true, false));

        private final Rules rules;

        Variant(Rules rules) {
            this.rules = rules;
        }
    }

    private RuleVariants() {
    }

    /** The certificate checks as {@code variant} makes them (the adversary knows the code it attacks). */
    public static CertificateValidator certificates(Variant variant, long chainId, StakeWeights stakes,
            ConsensusCrypto crypto) {
        return new CertificateValidator(chainId, epoch -> epoch == 0 ? Optional.of(stakes) : Optional.empty(), crypto,
                variant.rules);
    }

    public static boolean isQuorum(Variant variant, StakeWeights stakes, long stakeGwei) {
        return variant.rules.isQuorum(stakes, stakeGwei);
    }

    public static ConsensusCore core(Variant variant, ConsensusConfig config, ConsensusSigner signer,
            ConsensusCrypto crypto, SafetyState safety, Leaf lastDecided) {
        return new ConsensusCore(config, signer, crypto, safety, lastDecided, variant.rules);
    }
}
