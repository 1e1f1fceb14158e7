package dev.cortado.protocol.market;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assertions;

/** Hostile bytes: decoding either yields a bundle that re-encodes to the same bytes, or a reasoned refusal. */
class BundleCodecFuzzTest {
    static final byte[] VALID = BundleCodec.encode(new Bundle(31337, BundleSigningTest.MARKET, 3, 1, 50, List.of(
            new Transaction(NamespaceId.of(1), new byte[] {1, 2, 3, 4}),
            new Transaction(NamespaceId.of(2), new byte[40]))).sign(Secp256k1.keyPair(BigInteger.TWO)));

    @Property(tries = 2000)
    void mutatedBundlesDecodeExactlyOrFailWithAReason(@ForAll("mutations") byte[] input) {
        SignedBundle decoded;
        try {
            decoded = BundleCodec.decode(input);
        } catch (IllegalArgumentException refused) {
            Assertions.assertNotNull(refused.getMessage());
            return;
        }
        Assertions.assertArrayEquals(input, BundleCodec.encode(decoded));
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, VALID.length - 1).list().ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] out = VALID.clone();
                    for (int i = 0; i < positions.size(); i++) out[positions.get(i)] = values.get(i);
                    return out;
                }));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, VALID.length)
                .map(n -> java.util.Arrays.copyOf(VALID, n));
        Arbitrary<byte[]> random = Arbitraries.bytes().list().ofMaxSize(300).map(list -> {
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = list.get(i);
            return out;
        });
        return Arbitraries.oneOf(flipped, truncated, random);
    }

}
