package dev.cortado.node.api;

import java.util.Optional;

/**
 * The sequencing-rights check at submission, installed by a node that follows L1 (see
 * {@link HttpApiServer#marketGate}). Without one every namespace is open and bundles are not taken.
 */
public interface MarketGate {
    /** Why a transaction submitted on its own may not enter {@code namespace} now; empty if it may. */
    Optional<Refusal> refuseLoose(long namespace);

    /** Judges and, if admissible, pools one signed bundle in {@code BundleCodec} form. */
    BundleResult submitBundle(byte[] body);

    /** A refusal answered as {@code {error, detail}} with {@code status} (4xx, or 503 while L1 is not followed). */
    record Refusal(int status, String error, String detail) {
    }

    sealed interface BundleResult {
    }

    /** The bundle is pooled (or already was). {@code id} is its EIP-712 digest. */
    record BundleAccepted(String id, String signer, long window, long sequence, boolean duplicate) implements BundleResult {
    }

    record BundleRefused(Refusal refusal) implements BundleResult {
    }
}
