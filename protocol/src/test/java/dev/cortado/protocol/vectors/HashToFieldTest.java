package dev.cortado.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** hash_to_field against the u[0]/u[1] values of RFC 9380 appendix J.9.1. */
class HashToFieldTest {
    static final String DST = "QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_";

    @Test
    void matchesRfc9380() {
        BigInteger[] empty = HashToField.hashToField(new byte[0], DST);
        assertEquals(new BigInteger(
                "0ba14bd907ad64a016293ee7c2d276b8eae71f25a4b941eece7b0d89f17f75cb3ae5438a614fb61d6835ad59f29c564f", 16), empty[0]);
        assertEquals(new BigInteger(
                "019b9bd7979f12657976de2884c7cce192b82c177c80e0ec604436a7f538d231552f0d96d9f7babe5fa3b19b3ff25ac9", 16), empty[1]);
        assertEquals(new BigInteger(
                "0d921c33f2bad966478a03ca35d05719bdf92d347557ea166e5bba579eea9b83e9afa5c088573c2281410369fbd32951", 16),
                HashToField.hashToField("abc".getBytes(StandardCharsets.US_ASCII), DST)[0]);
        assertEquals(new BigInteger(
                "062d1865eb80ebfa73dcfc45db1ad4266b9f3a93219976a3790ab8d52d3e5f1e62f3b01795e36834b17b70e7b76246d4", 16),
                HashToField.hashToField("abcdef0123456789".getBytes(StandardCharsets.US_ASCII), DST)[0]);
    }
}
