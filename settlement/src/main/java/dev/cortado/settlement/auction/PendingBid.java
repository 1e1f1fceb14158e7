package dev.cortado.settlement.auction;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One bid as the bidder's journal keeps it. Everything needed to reveal is here before the commit is
 * sent; {@code commitTxHash} is written before the transaction leaves, {@code bidId} once its receipt
 * is seen.
 *
 * @param window the window bid for
 * @param bundleBits the rollup bitmap
 * @param amountWei the price offered
 * @param collateralWei what the commit locks (at least the amount)
 * @param sequencer who sequences the bundle if it wins
 * @param saltHex the commitment's 32-byte blinding value, 0x hex
 * @param commitmentHex bidCommitment(window, bidder, bundle, amount, sequencer, salt), 0x hex
 * @param commitTxHash the signed commit transaction's hash, or null before it is signed
 * @param bidId the bid's id in its window, or -1 until the commit's receipt is seen
 * @param stage how far the bid got
 * @param note why a bid was abandoned, or null
 */
public record PendingBid(long window, BigInteger bundleBits, BigInteger amountWei, BigInteger collateralWei,
        String sequencer, String saltHex, String commitmentHex, String commitTxHash, long bidId, Stage stage, String note) {

    public enum Stage {
        /** Salt stored; no commit transaction signed yet. */
        PREPARED,
        /** The commit transaction was signed (its hash stored) and may or may not be on L1. */
        COMMIT_SENT,
        /** The commit is on L1 as {@code bidId}. */
        COMMITTED,
        REVEALED,
        SETTLED,
        /** Nothing is locked on L1 for it any more, or it never got there; see {@code note}. */
        ABANDONED
    }

    public PendingBid {
        Objects.requireNonNull(bundleBits, "bundleBits");
        Objects.requireNonNull(amountWei, "amountWei");
        Objects.requireNonNull(collateralWei, "collateralWei");
        Objects.requireNonNull(sequencer, "sequencer");
        Objects.requireNonNull(saltHex, "saltHex");
        Objects.requireNonNull(commitmentHex, "commitmentHex");
        Objects.requireNonNull(stage, "stage");
        if (window < 0) throw new IllegalArgumentException("window must be >= 0, got " + window);
        if (amountWei.compareTo(collateralWei) > 0) {
            throw new IllegalArgumentException("amount " + amountWei + " wei exceeds collateral " + collateralWei + " wei");
        }
    }

    /** Two requests for the same window, bundle, amount and sequencer are one bid: a rerun never bids twice. */
    public boolean sameRequest(long w, BigInteger bundle, BigInteger amount, String seq) {
        return window == w && bundleBits.equals(bundle) && amountWei.equals(amount) && sequencer.equalsIgnoreCase(seq);
    }

    public boolean done() {
        return stage == Stage.SETTLED || stage == Stage.ABANDONED;
    }

    public PendingBid withStage(Stage s) {
        return new PendingBid(window, bundleBits, amountWei, collateralWei, sequencer, saltHex, commitmentHex, commitTxHash,
                bidId, s, note);
    }

    public PendingBid sent(String txHash) {
        return new PendingBid(window, bundleBits, amountWei, collateralWei, sequencer, saltHex, commitmentHex, txHash, bidId,
                Stage.COMMIT_SENT, note);
    }

    public PendingBid committed(long id) {
        return new PendingBid(window, bundleBits, amountWei, collateralWei, sequencer, saltHex, commitmentHex, commitTxHash,
                id, Stage.COMMITTED, note);
    }

    public PendingBid abandoned(String why) {
        return new PendingBid(window, bundleBits, amountWei, collateralWei, sequencer, saltHex, commitmentHex, commitTxHash,
                bidId, Stage.ABANDONED, why);
    }
}
