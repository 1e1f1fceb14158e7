package dev.cortado.node.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The real BLS port: signatures, aggregation over the stake table, and the protocol certificate form. */
class BlsConsensusCryptoTest {
    private final List<BlsKeyPair> keys = new ArrayList<>();
    private final BlsConsensusCrypto crypto;
    private final StakeTable table;

    BlsConsensusCryptoTest() {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            BlsKeyPair pair = BlsKeyPair.fromSeed(seed);
            keys.add(pair);
            entries.add(new StakeEntry(pair.publicKey(), 10 + i, true));
        }
        table = StakeTable.of(entries);
        crypto = new BlsConsensusCrypto(table);
    }

    private ConsensusSigner signer(int i) {
        return BlsConsensusCrypto.signer(i, keys.get(i).secretKey());
    }

    @Test
    void signVerifyAggregate() {
        Bytes32 digest = Digests.quorumVote(7, View.of(3), Bytes32.fromHex("aa".repeat(32)));
        Signature s1 = signer(1).sign(digest);
        assertEquals(48, s1.bytes().length);
        assertTrue(crypto.verify(1, digest, s1));
        assertFalse(crypto.verify(2, digest, s1), "another replica's key");
        assertFalse(crypto.verify(9, digest, s1), "outside the table");
        assertFalse(crypto.verify(1, digest, new Signature(new byte[48])), "not a G1 point");

        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        for (int i : new int[] {0, 2, 3}) {
            sigs.put(i, signer(i).sign(digest));
        }
        AggregateSignature aggregate = crypto.aggregate(digest, sigs);
        BitSet expected = new BitSet();
        expected.set(0);
        expected.set(2);
        expected.set(3);
        assertEquals(expected, aggregate.signers());
        assertTrue(crypto.verifyAggregate(digest, aggregate));
        assertFalse(crypto.verifyAggregate(Digests.timeoutVote(7, View.of(3)), aggregate), "other digest");
        BitSet lying = aggregate.signers();
        lying.set(1);
        assertFalse(crypto.verifyAggregate(digest, new AggregateSignature(lying, aggregate.aggregate())));
        assertTrue(CertificateVerifier.verify(table, crypto.toCertificate(digest, aggregate)).isValid());
        assertNull(crypto.toCertificate(digest, new AggregateSignature(expected, new byte[] {1, 2})));

        assertEquals(4, BlsConsensusCrypto.stakeWeights(table).size());
        assertEquals(46, BlsConsensusCrypto.stakeWeights(table).totalStakeGwei());
    }

    @Test
    void belowTwoThirdsDoesNotVerify() {
        Bytes32 digest = Digests.timeoutVote(7, View.of(5));
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        sigs.put(0, signer(0).sign(digest));
        sigs.put(1, signer(1).sign(digest));
        assertFalse(crypto.verifyAggregate(digest, crypto.aggregate(digest, sigs)), "21 of 46 gwei");
    }

    @Test
    void overTheUniverseTheThresholdIsLeftToTheEpochsTable() {
        BlsConsensusCrypto universe = BlsConsensusCrypto.overUniverse(table);
        Bytes32 digest = Digests.timeoutVote(7, View.of(5));
        TreeMap<Integer, Signature> sigs = new TreeMap<>();
        sigs.put(0, signer(0).sign(digest));
        sigs.put(1, signer(1).sign(digest));
        AggregateSignature aggregate = universe.aggregate(digest, sigs);
        assertTrue(universe.verifyAggregate(digest, aggregate), "21 of 46 gwei of the genesis table, all signed");
        assertFalse(universe.verifyAggregate(Digests.timeoutVote(7, View.of(6)), aggregate), "other digest");
        BitSet lying = new BitSet();
        lying.set(0);
        lying.set(2);
        assertFalse(universe.verifyAggregate(digest, new AggregateSignature(lying, aggregate.aggregate())), "signer 2 did not sign");
    }
}
