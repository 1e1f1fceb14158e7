package dev.cortado.node.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.PeerCrypto;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.node.testing.TestKeys;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pair keys from the BLS keys' Diffie-Hellman point: symmetric per pair, useless to everyone else. */
class PairMacsTest {
    private static final byte[] CHAIN = new byte[32];
    private final List<BlsPeerCrypto> crypto = List.of(new BlsPeerCrypto(TestKeys.keyPair(0)),
            new BlsPeerCrypto(TestKeys.keyPair(1)), new BlsPeerCrypto(TestKeys.keyPair(2)));
    private final Set<PeerKey> staked = Set.of(crypto.get(0).localKey(), crypto.get(1).localKey(), crypto.get(2).localKey());

    private PairMacs macs(int i) {
        return new PairMacs(CHAIN, crypto.get(i), staked);
    }

    private PeerKey key(int i) {
        return crypto.get(i).localKey();
    }

    @Test
    void theSenderAndTheRecipientComputeTheSameTagAndNoOneElseDoes() {
        byte[] digest = OriginEnvelope.digest(CHAIN, key(0), OriginEnvelope.directRoute(key(1)), new byte[] {1, 2, 3});
        byte[] tag = macs(0).tag(key(1), digest).orElseThrow();
        assertEquals(PairMacs.TAG_BYTES, tag.length);
        assertTrue(macs(1).check(key(0), digest, tag), "the recipient recomputes it from its own secret key");
        // Node 2 shares different keys with both: it can neither check nor make node 0's tag for node 1.
        assertFalse(macs(2).check(key(0), digest, tag));
        assertFalse(java.util.Arrays.equals(tag, macs(2).tag(key(1), digest).orElseThrow()));
        // A changed digest (other payload, route or claimed sender) fails.
        byte[] other = OriginEnvelope.digest(CHAIN, key(0), OriginEnvelope.directRoute(key(2)), new byte[] {1, 2, 3});
        assertFalse(macs(1).check(key(0), other, tag));
        assertFalse(macs(1).check(key(2), digest, tag));
        // Another chain derives other keys.
        byte[] chain2 = new byte[32];
        chain2[31] = 1;
        assertFalse(new PairMacs(chain2, crypto.get(1), staked).check(key(0), digest, tag));
    }

    @Test
    void theBroadcastOrderIsTheSameOnEveryNodeAndTagsNeedTheKeysOfTheTable() {
        assertEquals(macs(0).order(), macs(2).order());
        assertTrue(macs(0).usable());
        assertEquals(-1, macs(0).slotOf(BlsPeerCrypto.peerKey(TestKeys.keyPair(9).publicKey())));
        // A crypto that cannot agree keys (a test double) keeps signing.
        PeerCrypto signOnly = new PeerCrypto() {
            @Override
            public PeerKey localKey() {
                return key(0);
            }

            @Override
            public byte[] sign(byte[] digest) {
                return crypto.get(0).sign(digest);
            }

            @Override
            public boolean verify(PeerKey k, byte[] digest, byte[] signature) {
                return crypto.get(0).verify(k, digest, signature);
            }
        };
        assertFalse(new PairMacs(CHAIN, signOnly, staked).usable());
    }

    @Test
    void tagFormsRoundTripAndRefuseBadCounts() {
        byte[] tag = new byte[PairMacs.TAG_BYTES];
        tag[0] = 9;
        OriginEnvelope.MacDirect d = assertInstanceOf(OriginEnvelope.MacDirect.class,
                OriginEnvelope.decode(OriginEnvelope.encode(new OriginEnvelope.MacDirect(tag, new byte[] {5}))));
        assertArrayEquals(tag, d.tag());
        assertArrayEquals(new byte[] {5}, d.payload());
        OriginEnvelope.MacBroadcast b = assertInstanceOf(OriginEnvelope.MacBroadcast.class, OriginEnvelope.decode(
                OriginEnvelope.encode(new OriginEnvelope.MacBroadcast(Topic.DA_COMMITTEE, List.of(tag, tag, tag), new byte[] {6, 7}))));
        assertEquals(Topic.DA_COMMITTEE, b.topic());
        assertEquals(3, b.tags().size());
        assertArrayEquals(new byte[] {6, 7}, b.payload());

        WireFormatException none = assertThrows(WireFormatException.class, () -> OriginEnvelope.decode(new byte[] {6, 1, 0, 0}));
        assertEquals("tagged broadcast carries 0 tags, want 1..64", none.getMessage());
        WireFormatException many = assertThrows(WireFormatException.class, () -> OriginEnvelope.decode(new byte[] {6, 1, 0, 65}));
        assertEquals("tagged broadcast carries 65 tags, want 1..64", many.getMessage());
        WireFormatException shortTags = assertThrows(WireFormatException.class, () -> OriginEnvelope.decode(new byte[] {6, 1, 0, 1, 1, 2}));
        assertEquals("origin envelope truncated: need 16 bytes, have 2", shortTags.getMessage());
        WireFormatException shortDirect = assertThrows(WireFormatException.class, () -> OriginEnvelope.decode(new byte[] {5, 1}));
        assertEquals("origin envelope truncated: need 16 bytes, have 1", shortDirect.getMessage());
    }
}
