package dev.cortado.settlement.batch;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The fees of a replacement for a stuck batch transaction (same nonce, same content). A mempool
 * only swaps a pending transaction for one that pays clearly more: geth wants +10 % on the tip and
 * the fee cap, and +100 % on every fee of a blob transaction. So a bump raises the tip and fee cap
 * by 1/8 (calldata) or doubles them (blobs), and the blob fee cap likewise, and never offers less
 * than what the current fees call for ({@code 2·baseFee + tip}, {@code 2·blobBaseFee}). Nothing
 * above the configured cap is ever offered: then the old transaction stays and the poster waits.
 */
public final class FeeBump {
    private FeeBump() {}

    /** What a transaction offers per gas (tip and cap) and per blob gas (0 for calldata). */
    public record Offer(BigInteger tipWei, BigInteger maxFeeWei, BigInteger maxFeePerBlobGasWei) {
        public Offer {
            Objects.requireNonNull(tipWei);
            Objects.requireNonNull(maxFeeWei);
            Objects.requireNonNull(maxFeePerBlobGasWei);
        }
    }

    public sealed interface Result {
        record Raised(Offer offer) implements Result {
        }

        /** The replacement would need {@code neededWei} on the named fee, above {@code capWei}. */
        record OverCap(String fee, BigInteger neededWei, BigInteger capWei) implements Result {
        }
    }

    /**
     * @param old what the stuck transaction offers
     * @param blob whether it is a blob transaction (the stricter replacement rule)
     * @param baseFeeWei the latest block's base fee
     * @param tipWei the tip the L1 node suggests now
     * @param blobBaseFeeWei the current blob base fee (ignored for calldata)
     * @param capWei the most the poster pays per gas and per blob gas
     */
    public static Result next(Offer old, boolean blob, BigInteger baseFeeWei, BigInteger tipWei, BigInteger blobBaseFeeWei,
            BigInteger capWei) {
        BigInteger tip = raise(old.tipWei(), blob).max(tipWei);
        BigInteger maxFee = raise(old.maxFeeWei(), blob).max(baseFeeWei.shiftLeft(1).add(tip));
        if (maxFee.compareTo(capWei) > 0) return new Result.OverCap("maxFeePerGas", maxFee, capWei);
        BigInteger blobFee = BigInteger.ZERO;
        if (blob) {
            blobFee = raise(old.maxFeePerBlobGasWei(), true).max(blobBaseFeeWei.shiftLeft(1));
            if (blobFee.compareTo(capWei) > 0) return new Result.OverCap("maxFeePerBlobGas", blobFee, capWei);
        }
        return new Result.Raised(new Offer(tip, maxFee, blobFee));
    }

    /** +1/8 rounded up (calldata) or ×2 (blobs), and always at least 1 wei more. */
    static BigInteger raise(BigInteger wei, boolean blob) {
        BigInteger up = blob ? wei.shiftLeft(1) : wei.add(wei.add(BigInteger.valueOf(7)).shiftRight(3));
        return up.max(wei.add(BigInteger.ONE));
    }
}
