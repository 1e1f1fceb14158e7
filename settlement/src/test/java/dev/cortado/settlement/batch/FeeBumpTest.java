package dev.cortado.settlement.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The replacement fees of a stuck batch transaction, and reading a signed one back for re-signing. */
class FeeBumpTest {
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final BigInteger CAP = GWEI.multiply(BigInteger.valueOf(1000));
    private static final String INBOX = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final Credentials KEY = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    private static BigInteger g(long n) {
        return GWEI.multiply(BigInteger.valueOf(n));
    }

    @Test
    void calldataReplacementsRaiseTipAndFeeCapByAnEighthRoundedUp() {
        var old = new FeeBump.Offer(BigInteger.valueOf(1_000_000_001), g(10), BigInteger.ZERO);
        var r = (FeeBump.Result.Raised) FeeBump.next(old, false, g(1), g(1), BigInteger.ONE, CAP);
        // 1,000,000,001 + ceil(1,000,000,001 / 8) = 1,125,000,002; 10 gwei + 1.25 gwei.
        assertEquals(new FeeBump.Offer(BigInteger.valueOf(1_125_000_002L), BigInteger.valueOf(11_250_000_000L), BigInteger.ZERO),
                r.offer());
    }

    @Test
    void aReplacementNeverOffersLessThanTheCurrentFeesCallFor() {
        var old = new FeeBump.Offer(g(1), g(3), BigInteger.ZERO);
        // The base fee jumped to 40 gwei: the cap follows it (2 · 40 + tip), the tip follows the node's suggestion.
        var r = (FeeBump.Result.Raised) FeeBump.next(old, false, g(40), g(2), BigInteger.ONE, CAP);
        assertEquals(new FeeBump.Offer(g(2), g(82), BigInteger.ZERO), r.offer());
        // Even a zero offer goes up by at least one wei.
        assertEquals(BigInteger.ONE, FeeBump.raise(BigInteger.ZERO, false));
        assertEquals(BigInteger.ONE, FeeBump.raise(BigInteger.ZERO, true));
    }

    @Test
    void blobReplacementsDoubleEveryFeeTheBlobFeeCapIncluded() {
        var old = new FeeBump.Offer(g(1), g(3), g(1));
        var r = (FeeBump.Result.Raised) FeeBump.next(old, true, g(1), g(1), BigInteger.valueOf(7), CAP);
        assertEquals(new FeeBump.Offer(g(2), g(6), g(2)), r.offer());
        // A blob base fee that rose past the doubled cap sets it: twice the current blob base fee.
        r = (FeeBump.Result.Raised) FeeBump.next(old, true, g(1), g(1), g(5), CAP);
        assertEquals(g(10), r.offer().maxFeePerBlobGasWei());
    }

    @Test
    void nothingAboveTheCapIsOfferedAndTheResultSaysWhichFeeHitIt() {
        var old = new FeeBump.Offer(g(1), g(10), g(1));
        assertEquals(new FeeBump.Result.OverCap("maxFeePerGas", g(20), g(15)),
                FeeBump.next(old, true, g(1), g(1), BigInteger.ONE, g(15)));
        assertEquals(new FeeBump.Result.OverCap("maxFeePerBlobGas", g(30), g(25)),
                FeeBump.next(old, true, g(1), g(1), g(15), g(25)));
    }

    @Test
    void signedTransactionsReadBackWithEveryFieldAReplacementKeeps() {
        try (InboxL1 l1 = new InboxL1("http://127.0.0.1:9", INBOX, 1)) {
            String data = InboxL1.calldataBatchCall(4, 9, 3, new byte[] {1, 2, 3});
            InboxL1.Signed cd = l1.sign(KEY, 31337, 17, BigInteger.valueOf(90_000), data, g(1), g(7));
            SignedBatchTx t = SignedBatchTx.decode(cd.rawTx());
            assertEquals(new SignedBatchTx(2, 31337, 17, g(1), g(7), BigInteger.valueOf(90_000), INBOX, data, BigInteger.ZERO,
                    List.of()), t);

            byte[] frame = new byte[1000];
            for (int i = 0; i < frame.length; i++) frame[i] = (byte) (i * 31);
            List<byte[]> blobs = BlobPacking.pack(frame);
            String call = InboxL1.blobBatchCall(4, 9, 3, 1);
            InboxL1.Signed bt = l1.signBlobs(KEY, 31337, 18, BigInteger.valueOf(150_000), call, g(1), g(8), g(3), blobs);
            SignedBatchTx b = SignedBatchTx.decode(bt.rawTx());
            assertEquals(3, b.type());
            assertEquals(18, b.nonce());
            assertEquals(g(3), b.maxFeePerBlobGasWei());
            assertEquals(g(8), b.maxFeeWei());
            assertEquals(call, b.data());
            assertEquals(1, b.blobs().size());
            assertArrayEquals(blobs.get(0), b.blobs().get(0));
            // Re-signing what was read back gives the very same bytes: nothing a replacement keeps is lost.
            assertEquals(bt.rawTx(), l1.signBlobs(KEY, b.chainId(), b.nonce(), b.gasLimit(), b.data(), b.tipWei(), b.maxFeeWei(),
                    b.maxFeePerBlobGasWei(), b.blobs()).rawTx());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> SignedBatchTx.decode("0x01c0"));
        assertEquals("not a type-2 or type-3 transaction: first byte 1", e.getMessage());
    }
}
