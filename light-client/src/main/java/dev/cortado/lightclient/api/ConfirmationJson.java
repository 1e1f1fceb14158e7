package dev.cortado.lightclient.api;

/**
 * How final a transaction or block is, as the answering node sees it ({@code "confirmation"} in
 * {@code GET /v0/tx/{hash}}, {@code GET /v0/block/{height}} and the block stream). The levels only grow:
 * <ol>
 *   <li>{@code pre_confirmed}: the transaction is in a bundle this node pooled after checking its signature and
 *       that its signer holds the namespaces it touches; {@code preConfirmed} names the bundle. Not decided:
 *       {@code height} and {@code view} are null.</li>
 *   <li>{@code hotshot_final}: decided with a quorum certificate at {@code height} in {@code view}.</li>
 *   <li>{@code l1_final}: also covered by LightClient.sol's finalized state, read at an L1 block that is itself
 *       final (the {@code finalized} tag or the node's confirmation depth); {@code l1} says which.</li>
 * </ol>
 */
public record ConfirmationJson(String level, Long height, Long view, PreConfirmedJson preConfirmed, L1FinalJson l1) {
    public static final String PRE_CONFIRMED = "pre_confirmed";
    public static final String HOTSHOT_FINAL = "hotshot_final";
    public static final String L1_FINAL = "l1_final";

    public ConfirmationJson {
        if (level == null) throw new IllegalArgumentException("missing field level");
        switch (level) {
            case PRE_CONFIRMED -> {
                if (preConfirmed == null || height != null || view != null || l1 != null) {
                    throw new IllegalArgumentException("a pre_confirmed level names its bundle and no height, view or L1 state");
                }
            }
            case HOTSHOT_FINAL, L1_FINAL -> {
                if (height == null || view == null || height < 0 || view < 0) {
                    throw new IllegalArgumentException(level + " needs a non-negative height and view");
                }
                if ((l1 == null) == level.equals(L1_FINAL)) {
                    throw new IllegalArgumentException("l1 is given exactly when the level is l1_final");
                }
                if (l1 != null && l1.lightClientHeight() < height) {
                    throw new IllegalArgumentException("light-client height " + l1.lightClientHeight() + " does not cover height " + height);
                }
            }
            default -> throw new IllegalArgumentException("unknown confirmation level " + level);
        }
    }

    public static ConfirmationJson preConfirmed(PreConfirmedJson bundle) {
        return new ConfirmationJson(PRE_CONFIRMED, null, null, bundle, null);
    }

    public static ConfirmationJson hotShotFinal(long height, long view) {
        return new ConfirmationJson(HOTSHOT_FINAL, height, view, null, null);
    }

    public static ConfirmationJson l1Final(long height, long view, L1FinalJson l1) {
        return new ConfirmationJson(L1_FINAL, height, view, null, l1);
    }

    /** 1, 2 or 3, in the order above. */
    public int rank() {
        return switch (level) {
            case PRE_CONFIRMED -> 1;
            case HOTSHOT_FINAL -> 2;
            default -> 3;
        };
    }

    /**
     * The pooled bundle holding the transaction.
     *
     * @param bundle the bundle id (its EIP-712 digest)
     * @param signer the sequencer address recovered from the bundle's signature
     * @param position the transaction's index in the bundle's transaction list
     */
    public record PreConfirmedJson(String bundle, String signer, long window, long sequence, int position) {
    }

    /**
     * LightClient.sol's finalized state that covers the height.
     *
     * @param l1Block the L1 block it was read at (at the confirmation depth, or finalized)
     * @param lightClientHeight the contract's finalized HotShot height, at least the transaction's height
     * @param blockCommRoot the contract's root, equal to this node's root over headers {@code 0..lightClientHeight}
     */
    public record L1FinalJson(long l1Block, long lightClientHeight, long lightClientView, String blockCommRoot) {
    }
}
