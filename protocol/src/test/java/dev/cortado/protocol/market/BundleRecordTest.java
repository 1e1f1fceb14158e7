package dev.cortado.protocol.market;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The block's form of a bundle: same id and signer as the full bundle, exact bytes, bounded decoding. */
class BundleRecordTest {
    static final SignedBundle SIGNED = BundleSigningTest.bundle(31337, 4, 2).sign(BundleSigningTest.KEY);
    static final byte[] VALID = BundleRecord.of(SIGNED).encode();

    @Test
    void recordHasTheBundlesIdAndSignerWithoutThePayloads() {
        BundleRecord r = BundleRecord.of(SIGNED);
        assertEquals(SIGNED.id(), r.digest(31337, BundleSigningTest.MARKET));
        assertEquals(Optional.of(BundleSigningTest.KEY.address()), r.signer(31337, BundleSigningTest.MARKET));
        assertEquals(94 + 40 * 2, VALID.length);
        assertEquals(r, BundleRecord.decode(VALID));
        assertEquals(List.of(7L, 9L), List.copyOf(r.namespaces()));
        // Field order and widths: version, window, sequence, expiry, count, then (namespace, hash) pairs.
        assertEquals(1, VALID[0]);
        assertEquals(4, VALID[8]);
        assertEquals(2, VALID[16]);
        assertEquals(100, VALID[24] & 0xff);
        assertEquals(2, VALID[28]);
        assertEquals(7, VALID[36]);
        assertArrayEquals(SIGNED.bundle().transactions().getFirst().hash().bytes(), Arrays.copyOfRange(VALID, 37, 69));
    }

    @Test
    void anotherNetworksDomainRecoversAStranger() {
        BundleRecord r = BundleRecord.of(SIGNED);
        Address other = Address.fromHex("0x00000000000000000000000000000000000000aa");
        assertNotEquals(Optional.of(BundleSigningTest.KEY.address()), r.signer(31337, other));
        assertNotEquals(Optional.of(BundleSigningTest.KEY.address()), r.signer(1, BundleSigningTest.MARKET));
    }

    @Test
    void reservedNamespaceAndBadLengthsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bundle(31337,
                BundleSigningTest.MARKET, 1, 0, 5, List.of(new Transaction(NamespaceId.of(BundleRecord.NAMESPACE), new byte[1]))));
        assertEquals("a bundle may not hold a transaction of the reserved namespace 9223372036854775807", e.getMessage());
        byte[] longer = Arrays.copyOf(VALID, VALID.length + 40);
        assertEquals("bundle record claims 2 entries in 214 bytes",
                assertThrows(IllegalArgumentException.class, () -> BundleRecord.decode(longer)).getMessage());
        assertEquals("bundle record of 3 bytes, outside 134..163934",
                assertThrows(IllegalArgumentException.class, () -> BundleRecord.decode(new byte[3])).getMessage());
    }

    @Test
    void txHashOfARecordIsItsTransactionHashInTheReservedNamespace() {
        Bytes32 expected = new Transaction(NamespaceId.of(BundleRecord.NAMESPACE), VALID).hash();
        assertEquals(expected, BundleRecord.txHashOf(VALID));
    }

    @Property(tries = 2000)
    void mutatedRecordsDecodeExactlyOrFailWithAReason(@ForAll("mutations") byte[] input) {
        BundleRecord decoded;
        try {
            decoded = BundleRecord.decode(input);
        } catch (IllegalArgumentException refused) {
            Assertions.assertNotNull(refused.getMessage());
            return;
        }
        assertArrayEquals(input, decoded.encode());
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, VALID.length - 1).list().ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] out = VALID.clone();
                    for (int i = 0; i < positions.size(); i++) out[positions.get(i)] = values.get(i);
                    return out;
                }));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, VALID.length).map(n -> Arrays.copyOf(VALID, n));
        Arbitrary<byte[]> random = Arbitraries.bytes().list().ofMaxSize(300).map(list -> {
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = list.get(i);
            return out;
        });
        return Arbitraries.oneOf(flipped, truncated, random);
    }
}
