package dev.cortado.protocol.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleSigningTest {
    static final Address MARKET = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final Secp256k1.KeyPair KEY = Secp256k1.keyPair(BigInteger.valueOf(0xC0FFEE));

    static Bundle bundle(long chainId, long window, long sequence) {
        return new Bundle(chainId, MARKET, window, sequence, 100, List.of(
                new Transaction(NamespaceId.of(7), new byte[] {1, 2, 3}),
                new Transaction(NamespaceId.of(9), new byte[] {4, 5})));
    }

    @Test
    void secretKeyOneHasItsWellKnownAddress() {
        // The address of secret key 1 is a public fact of secp256k1 + keccak.
        assertEquals(Address.fromHex("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"),
                Secp256k1.keyPair(BigInteger.ONE).address());
    }

    @Test
    void signedBundleRecoversItsSigner() {
        SignedBundle sb = bundle(31337, 4, 0).sign(KEY);
        assertEquals(Optional.of(KEY.address()), sb.signer());
        assertTrue(sb.signature().s().compareTo(new BigInteger(
                "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16)) <= 0, "low-s");
    }

    @Test
    void everySignedFieldChangesTheDigest() {
        Bundle base = bundle(31337, 4, 0);
        assertNotEquals(base.digest(), bundle(1, 4, 0).digest(), "chain id is in the domain");
        assertNotEquals(base.digest(), bundle(31337, 5, 0).digest(), "window");
        assertNotEquals(base.digest(), bundle(31337, 4, 1).digest(), "sequence");
        Bundle otherMarket = new Bundle(31337, Address.fromHex("0x" + "11".repeat(20)), 4, 0, 100,
                base.transactions());
        assertNotEquals(base.digest(), otherMarket.digest(), "marketplace is the verifying contract");
        Bundle otherExpiry = new Bundle(31337, MARKET, 4, 0, 101, base.transactions());
        assertNotEquals(base.digest(), otherExpiry.digest(), "expiry");
    }

    @Test
    void aSignatureMovedToAnotherBundleRecoversSomeoneElse() {
        SignedBundle sb = bundle(31337, 4, 0).sign(KEY);
        SignedBundle moved = new SignedBundle(bundle(31337, 5, 0), sb.signature());
        assertNotEquals(Optional.of(KEY.address()), moved.signer());
    }

    @Test
    void highSAndBadVAreRefused() {
        SignedBundle sb = bundle(31337, 4, 0).sign(KEY);
        Secp256k1.Signature sig = sb.signature();
        BigInteger n = new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
        Secp256k1.Signature highS = new Secp256k1.Signature(sig.r(), n.subtract(sig.s()), sig.v() ^ 1);
        assertEquals(Optional.empty(), new SignedBundle(sb.bundle(), highS).signer());
        assertEquals(Optional.empty(), new SignedBundle(sb.bundle(),
                new Secp256k1.Signature(sig.r(), sig.s(), 29)).signer());
        assertEquals(Optional.empty(), new SignedBundle(sb.bundle(),
                new Secp256k1.Signature(BigInteger.ZERO, sig.s(), sig.v())).signer());
    }

    @Test
    void codecRoundTripsAndRefusesTrailingBytes() {
        SignedBundle sb = bundle(31337, 4, 2).sign(KEY);
        byte[] wire = BundleCodec.encode(sb);
        SignedBundle back = BundleCodec.decode(wire);
        assertEquals(sb.id(), back.id());
        assertArrayEquals(sb.signature().encode(), back.signature().encode());
        byte[] longer = java.util.Arrays.copyOf(wire, wire.length + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundleCodec.decode(longer));
        assertEquals("1 trailing bytes after the bundle signature", e.getMessage());
    }

    @Test
    void bundleRulesRefuseDuplicatesAndEmptiness() {
        Transaction tx = new Transaction(NamespaceId.of(1), new byte[] {9});
        assertThrows(IllegalArgumentException.class, () -> new Bundle(1, MARKET, 0, 0, 0, List.of()));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> new Bundle(1, MARKET, 0, 0, 0, List.of(tx, tx)));
        assertTrue(dup.getMessage().contains("twice"), dup.getMessage());
    }
}
