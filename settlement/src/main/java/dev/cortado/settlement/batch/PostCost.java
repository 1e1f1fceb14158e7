package dev.cortado.settlement.batch;

import java.math.BigInteger;

/**
 * The price of one batch as calldata or as blobs, and the cheaper one. Calldata pays the EIP-7623
 * floor when it is higher than the standard cost: tokens = zero bytes + 4 × non-zero bytes, standard
 * gas = 21000 + 4 × tokens + execution, floor gas = 21000 + 10 × tokens. Blobs pay 131072 blob gas
 * each at the blob base fee, plus the recording call's gas at the execution price.
 */
public final class PostCost {
    public enum Mode { CALLDATA, BLOBS }

    /** Both prices in wei and the choice. */
    public record Choice(Mode mode, BigInteger calldataWei, BigInteger blobWei, int blobs) {
    }

    /**
     * Gas a postBlobBatch transaction uses, for pricing: 79,396 measured on Anvil (prague) for one blob
     * (BatchPosterTest), rounded up for the few hundred gas each further blob's blobhash and log word add.
     */
    public static final long BLOB_CALL_GAS = 85_000;
    /** The gas limit a blob transaction is sent with (it cannot be estimated without its blobs). */
    public static final long BLOB_CALL_GAS_LIMIT = 150_000;
    public static final long BLOB_GAS_PER_BLOB = 131_072;

    private PostCost() {}

    public static long calldataGas(byte[] callData, long executionGas) {
        long zeros = 0;
        for (byte b : callData) if (b == 0) zeros++;
        long tokens = zeros + 4 * (callData.length - zeros);
        return Math.max(21_000 + 4 * tokens + executionGas, 21_000 + 10 * tokens);
    }

    /**
     * @param callData the postCalldataBatch call data
     * @param calldataExecutionGas the call's execution gas beyond intrinsic and data cost
     * @param gasPriceWei what one gas costs (base fee + tip)
     * @param blobBaseFeeWei the current blob base fee
     */
    public static Choice choose(byte[] callData, long calldataExecutionGas, int frameBytes, BigInteger gasPriceWei,
            BigInteger blobBaseFeeWei) {
        BigInteger calldata = gasPriceWei.multiply(BigInteger.valueOf(calldataGas(callData, calldataExecutionGas)));
        int blobs = BlobPacking.blobsFor(frameBytes);
        BigInteger blob = blobBaseFeeWei.multiply(BigInteger.valueOf(blobs * BLOB_GAS_PER_BLOB))
                .add(gasPriceWei.multiply(BigInteger.valueOf(BLOB_CALL_GAS)));
        boolean blobsFit = blobs <= BlobPacking.MAX_BLOBS;
        Mode mode = blobsFit && blob.compareTo(calldata) < 0 ? Mode.BLOBS : Mode.CALLDATA;
        return new Choice(mode, calldata, blob, blobs);
    }
}
