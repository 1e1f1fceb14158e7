package dev.cortado.settlement.batch;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * What a fee-bumped replacement must keep from a signed batch transaction, read back from the raw
 * bytes the journal holds: nonce, gas limit, target, call data and (type 3) the blobs, plus the
 * fees it offered. Only the two forms the poster signs are accepted: EIP-1559 ({@code 0x02 ‖
 * rlp([chainId, nonce, tip, maxFee, gas, to, value, data, accessList, y, r, s])}) and the EIP-4844
 * network form ({@code 0x03 ‖ rlp([[chainId, nonce, tip, maxFee, gas, to, value, data, accessList,
 * maxFeePerBlobGas, blobHashes, y, r, s], blobs, commitments, proofs])}).
 *
 * @param maxFeePerBlobGasWei zero for a calldata transaction
 * @param blobs empty for a calldata transaction
 */
public record SignedBatchTx(int type, long chainId, long nonce, BigInteger tipWei, BigInteger maxFeeWei,
        BigInteger gasLimit, String to, String data, BigInteger maxFeePerBlobGasWei, List<byte[]> blobs) {

    public SignedBatchTx {
        blobs = List.copyOf(blobs);
    }

    public boolean isBlob() {
        return type == 3;
    }

    public static SignedBatchTx decode(String rawHex) {
        byte[] raw = Numeric.hexStringToByteArray(rawHex);
        if (raw.length < 2 || (raw[0] != 2 && raw[0] != 3)) {
            throw new IllegalArgumentException("not a type-2 or type-3 transaction: first byte "
                    + (raw.length == 0 ? "none" : Integer.toString(raw[0] & 0xff)));
        }
        List<RlpType> top = RlpDecoder.decode(Arrays.copyOfRange(raw, 1, raw.length)).getValues();
        if (top.size() != 1 || !(top.get(0) instanceof RlpList outer)) {
            throw new IllegalArgumentException("the transaction body is not one RLP list");
        }
        if (raw[0] == 2) {
            List<RlpType> f = outer.getValues();
            if (f.size() != 12) throw new IllegalArgumentException("a type-2 body has 12 fields, got " + f.size());
            return new SignedBatchTx(2, num(f, 0).longValueExact(), num(f, 1).longValueExact(), num(f, 2), num(f, 3),
                    num(f, 4), hex(f, 5), hex(f, 7), BigInteger.ZERO, List.of());
        }
        List<RlpType> parts = outer.getValues();
        if (parts.size() != 4 || !(parts.get(0) instanceof RlpList body) || !(parts.get(1) instanceof RlpList blobList)) {
            throw new IllegalArgumentException("a type-3 transaction in network form is [body, blobs, commitments, proofs]");
        }
        List<RlpType> f = body.getValues();
        if (f.size() != 14) throw new IllegalArgumentException("a type-3 body has 14 fields, got " + f.size());
        List<byte[]> blobs = new ArrayList<>();
        for (RlpType b : blobList.getValues()) {
            if (!(b instanceof RlpString s) || s.getBytes().length != BlobPacking.BLOB_BYTES) {
                throw new IllegalArgumentException("a blob of the sidecar is not " + BlobPacking.BLOB_BYTES + " bytes");
            }
            blobs.add(s.getBytes());
        }
        return new SignedBatchTx(3, num(f, 0).longValueExact(), num(f, 1).longValueExact(), num(f, 2), num(f, 3),
                num(f, 4), hex(f, 5), hex(f, 7), num(f, 9), blobs);
    }

    private static BigInteger num(List<RlpType> f, int i) {
        if (!(f.get(i) instanceof RlpString s)) throw new IllegalArgumentException("field " + i + " is not a string");
        return s.asPositiveBigInteger();
    }

    private static String hex(List<RlpType> f, int i) {
        if (!(f.get(i) instanceof RlpString s)) throw new IllegalArgumentException("field " + i + " is not a string");
        return Numeric.toHexString(s.getBytes());
    }
}
