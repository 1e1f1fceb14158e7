package dev.cortado.settlement.lightclient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The packed absent members without a chain: encoder, multiproof size, and the Java twin's checks. */
class AbsentMembersTest {
    private static final List<BlsKeyPair> KEYS = StakeFixtures.keys(37);

    private static NonSignerData data(StakeTable table, Set<Integer> absent) {
        SignerBitmap signers = SignerBitmap.full(table.size());
        for (int i : absent) {
            signers = signers.without(i);
        }
        return NonSignerData.build(table, signers);
    }

    /**
     * The number of siblings a multiproof needs, counted another way: the sibling positions of every
     * path, minus the positions that are themselves ancestors of an absent leaf.
     */
    private static int siblingsNeeded(Set<Integer> absent, int depth) {
        Set<Long> ancestors = new HashSet<>();
        Set<Long> siblings = new HashSet<>();
        for (int leaf : absent) {
            for (int level = 0; level < depth; level++) {
                long node = leaf >>> level;
                ancestors.add(((long) level << 32) | node);
                siblings.add(((long) level << 32) | (node ^ 1));
            }
        }
        siblings.removeAll(ancestors);
        return siblings.size();
    }

    @Test
    void encodesRandomAbsentSetsThatTheTwinDecodesBackWithTheSmallestMultiproof() {
        Random rnd = new Random(12);
        for (int n : new int[] {1, 2, 3, 8, 9, 37}) {
            StakeTable table = StakeFixtures.table(KEYS.subList(0, n));
            for (int round = 0; round < 20; round++) {
                Set<Integer> absent = new TreeSet<>();
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(1 + round % 5) == 0) {
                        absent.add(i);
                    }
                }
                byte[] packed = AbsentMembers.encode(data(table, absent));
                List<AbsentMembers.Member> decoded = AbsentMembers.verify(packed, table.merkleRoot(), n);
                assertEquals(List.copyOf(absent), decoded.stream().map(AbsentMembers.Member::index).toList());
                for (AbsentMembers.Member m : decoded) {
                    assertArrayEquals(table.entry(m.index()).key().toEip2537(), m.pkEip2537());
                    assertEquals(table.entry(m.index()).stakeGwei(), m.stakeGwei());
                    assertEquals(table.entry(m.index()).daMember(), m.isDa());
                }
                int expected = absent.isEmpty() ? 0
                        : 2 + absent.size() * AbsentMembers.RECORD_BYTES + 32 * siblingsNeeded(absent, MerkleTree.depth(n));
                assertEquals(expected, packed.length, "n=" + n + " absent=" + absent);
            }
        }
    }

    @Test
    void theTwinRefusesWhatTheContractRefuses() {
        StakeTable table = StakeFixtures.table(KEYS.subList(0, 9));
        byte[] good = AbsentMembers.encode(data(table, Set.of(0, 8)));
        var shortProof = assertThrows(AbsentMembers.Refused.class, () ->
                AbsentMembers.verify(java.util.Arrays.copyOf(good, good.length - 32), table.merkleRoot(), 9));
        assertEquals("LightClient__MultiproofSiblings(uint256,uint256)", shortProof.signature());
        // Leaves 0 and 8 of 16: three siblings each, their ancestors on level 3 are the root's children.
        assertEquals(List.of(6L, 5L), shortProof.arguments());
        var tooMany = assertThrows(AbsentMembers.Refused.class, () ->
                AbsentMembers.verify(new byte[] {0, 10}, table.merkleRoot(), 9));
        assertEquals(List.of(10L, 9L), tooMany.arguments());
        var otherTable = assertThrows(AbsentMembers.Refused.class, () -> AbsentMembers.verify(good,
                StakeFixtures.table(KEYS.subList(1, 10)).merkleRoot(), 9));
        assertEquals("LightClient__NonSignersNotInTable(bytes32,bytes32)", otherTable.signature());
        assertEquals(table.merkleRoot(), otherTable.arguments().get(1));
    }

    @Test
    void aKeyWithANonZeroPadByteCannotBePacked() {
        byte[] key = KEYS.getFirst().publicKey().toEip2537();
        assertArrayEquals(key, AbsentMembers.unpackKey(AbsentMembers.packKey(key)));
        key[64] = 1;
        assertThrows(IllegalArgumentException.class, () -> AbsentMembers.packKey(key));
        assertThrows(IllegalArgumentException.class, () -> AbsentMembers.packKey(new byte[192]));
    }
}
