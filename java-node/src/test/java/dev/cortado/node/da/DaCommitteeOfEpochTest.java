package dev.cortado.node.da;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.crypto.BlsPublicKey;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The committee of one epoch over the universe: membership, stakes, and the bitmap mapping both ways. */
class DaCommitteeOfEpochTest {
    private static final List<BlsPublicKey> UNIVERSE = IntStream.range(0, 6)
            .mapToObj(i -> TestKeys.keyPair(i).publicKey()).toList();

    private static BitSet da(int... indices) {
        BitSet b = new BitSet();
        IntStream.of(indices).forEach(b::set);
        return b;
    }

    @Test
    void membersAreTheDaPeersWithStakeInTheEpochWeightedByIt() {
        DaCommittee c = DaCommittee.of(3, UNIVERSE, da(0, 2, 3, 5), new long[] {4, 9, 0, 2, 7, 1});
        assertArrayEquals(new int[] {0, 3, 5}, c.members(), "2 has no stake in the epoch, 1 and 4 are not da");
        assertEquals(7, c.table().orElseThrow().committeeStakeGwei());
        assertEquals(1, c.position(3));
        assertEquals(-1, c.position(2));
        assertFalse(c.isMember(6), "outside the universe");
        assertFalse(c.isMember(-1));
        assertEquals(SignerBitmap.of(6, 0, 5), c.toUniverse(SignerBitmap.of(3, 0, 2)));
        DaCommittee.Mapped.Ok ok = assertInstanceOf(DaCommittee.Mapped.Ok.class, c.toTable(SignerBitmap.of(6, 3, 5)));
        assertEquals(SignerBitmap.of(3, 1, 2), ok.overTable());
    }

    @Test
    void aBitmapOfAnotherSizeOrWithAnOutsiderIsRefused() {
        DaCommittee c = DaCommittee.of(3, UNIVERSE, da(0, 2, 3, 5), new long[] {4, 9, 0, 2, 7, 1});
        DaCommittee.Mapped.Refused size = assertInstanceOf(DaCommittee.Mapped.Refused.class,
                c.toTable(SignerBitmap.of(3, 0)));
        assertEquals(Verdict.Reason.BITMAP_SIZE_MISMATCH, size.reason());
        assertEquals("bitmap covers 3 peers, the universe has 6", size.detail());
        DaCommittee.Mapped.Refused outsider = assertInstanceOf(DaCommittee.Mapped.Refused.class,
                c.toTable(SignerBitmap.of(6, 0, 2, 3)));
        assertEquals("signer 2 is not on the DA committee of epoch 3", outsider.detail());
    }

    @Test
    void anEpochWithoutDaStakeHasNoCommittee() {
        DaCommittee c = DaCommittee.of(5, UNIVERSE, da(1, 4), new long[] {1, 0, 1, 1, 0, 1});
        assertTrue(c.isEmpty());
        assertTrue(c.table().isEmpty());
        assertEquals("epoch 5 has no DA committee", assertInstanceOf(DaCommittee.Mapped.Refused.class,
                c.toTable(SignerBitmap.empty(6))).detail());
    }

    @Test
    void anEpochsCommitteeIsWhomItsTableMarksDaAmongTheConfiguredDaPeers() {
        // The table marks 0, 1, 3 and 4 as DA (as StakeTable.sol's isDa would); 0, 2, 3 and 5 are configured da.
        EpochTable table = new EpochTable(StakeWeights.ofEpoch(new long[] {4, 9, 0, 2, 7, 1}), da(0, 1, 3, 4),
                Keccak.hash(new byte[] {3}));
        DaCommittee c = DaCommittee.ofEpoch(3, UNIVERSE, table, da(0, 2, 3, 5));
        assertArrayEquals(new int[] {0, 3}, c.members(), "1 and 4 are not configured da, 5 is not marked, 2 has no stake");
        assertEquals(6, c.table().orElseThrow().committeeStakeGwei());
        assertEquals("signer 5 is not on the DA committee of epoch 3", assertInstanceOf(DaCommittee.Mapped.Refused.class,
                c.toTable(SignerBitmap.of(6, 0, 3, 5))).detail());
        assertTrue(DaCommittee.ofEpoch(4, UNIVERSE, table, da(1, 4)).members().length == 2);
        assertTrue(DaCommittee.ofEpoch(4, UNIVERSE, table, da(2, 5)).isEmpty(), "nobody both marked and configured");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> DaCommittee.ofEpoch(4, UNIVERSE.subList(0, 5), table, da(0)));
        assertEquals("the table of epoch 4 covers 6 peers, the universe has 5", other.getMessage());
    }
}
