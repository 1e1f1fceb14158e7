package dev.cortado.protocol.stake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StakeTableTest {
    private final List<BlsKeyPair> keys = StakeFixtures.keys(5);
    private final StakeTable table = StakeFixtures.table(keys);

    @Test
    void commitmentFollowsTheDocumentedEncoding() {
        List<Bytes32> leaves = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 5; i++) {
            long stake = StakeFixtures.stakeGwei(i);
            total += stake;
            leaves.add(Keccak.hash(Abi.encode(DomainTags.STAKE_LEAF, (long) i,
                    Keccak.hash(keys.get(i).publicKey().toEip2537()), stake, i % 2 == 0)));
        }
        BlsPublicKey agg = Bls.sumKeys(keys.stream().map(BlsKeyPair::publicKey).toList());
        Bytes32 root = MerkleTree.root(leaves);
        assertEquals(leaves, table.leaves());
        assertEquals(root, table.merkleRoot());
        assertEquals(agg, table.aggregateKey());
        assertEquals(total, table.totalStakeGwei());
        assertEquals(StakeFixtures.stakeGwei(0) + StakeFixtures.stakeGwei(2) + StakeFixtures.stakeGwei(4),
                table.committeeStakeGwei());
        assertEquals(3, table.committeeSize());
        assertEquals(Keccak.hash(Abi.encode(DomainTags.STAKE_TABLE, root, 5L, total, Keccak.hash(agg.toEip2537()))),
                table.commitment());
        for (int i = 0; i < 5; i++) {
            assertTrue(table.membershipProof(i).verify(table.leaf(i), root));
            assertEquals(i, table.indexOf(keys.get(i).publicKey()).getAsInt());
        }
        assertTrue(table.indexOf(StakeFixtures.key(99).publicKey()).isEmpty());
    }

    @Test
    void changingAnyEntryChangesTheCommitment() {
        List<StakeEntry> entries = new ArrayList<>(table.entries());
        StakeEntry e = entries.get(2);
        entries.set(2, new StakeEntry(e.key(), e.stakeGwei() + 1, e.daMember()));
        assertFalse(StakeTable.of(entries).commitment().equals(table.commitment()));
        entries.set(2, new StakeEntry(e.key(), e.stakeGwei(), !e.daMember()));
        assertFalse(StakeTable.of(entries).commitment().equals(table.commitment()));
        List<StakeEntry> swapped = new ArrayList<>(table.entries());
        swapped.set(0, table.entry(1));
        swapped.set(1, table.entry(0));
        assertFalse(StakeTable.of(swapped).commitment().equals(table.commitment()));
    }

    @Test
    void badTablesAreRejected() {
        BlsPublicKey pk = keys.get(0).publicKey();
        assertThrows(IllegalArgumentException.class, () -> StakeTable.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new StakeEntry(pk, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new StakeEntry(pk, -5, false));
        assertThrows(IllegalArgumentException.class,
                () -> StakeTable.of(List.of(new StakeEntry(pk, 1, false), new StakeEntry(pk, 2, true))));
        assertThrows(ArithmeticException.class, () -> StakeTable.of(List.of(new StakeEntry(pk, Long.MAX_VALUE, false),
                new StakeEntry(keys.get(1).publicKey(), 1, false))));
    }

    @Test
    void quorumNeedsStrictlyMoreThanTwoThirds() {
        assertFalse(StakeTable.exceedsTwoThirds(2, 3));
        assertTrue(StakeTable.exceedsTwoThirds(3, 4));
        assertFalse(StakeTable.exceedsTwoThirds(200, 300));
        assertTrue(StakeTable.exceedsTwoThirds(201, 300));
        assertTrue(StakeTable.exceedsTwoThirds(Long.MAX_VALUE, Long.MAX_VALUE));
        assertFalse(StakeTable.exceedsTwoThirds(Long.MAX_VALUE / 3 * 2, Long.MAX_VALUE));
        long total = table.totalStakeGwei();
        assertFalse(table.isQuorum(total * 2 / 3));
        assertTrue(table.isQuorum(total * 2 / 3 + 1));
    }
}
