package dev.cortado.node.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** An epoch's table carries its DA membership: only staked indices, copied in and out. */
class EpochTableTest {
    private static final StakeWeights WEIGHTS = StakeWeights.ofEpoch(new long[] {3, 0, 5});
    private static final Bytes32 COMMITMENT = Keccak.hash(new byte[] {7});

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) b.set(i);
        return b;
    }

    @Test
    void onlyAStakedIndexCanBeADaMember() {
        IllegalArgumentException unstaked = assertThrows(IllegalArgumentException.class,
                () -> new EpochTable(WEIGHTS, bits(0, 1), COMMITMENT));
        assertEquals("index 1 is marked DA but holds no stake in the table", unstaked.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new EpochTable(WEIGHTS, bits(3), COMMITMENT));
        assertEquals("index 3 is marked DA but holds no stake in the table (the universe has 3 indices)",
                outside.getMessage());
        assertEquals(bits(0, 2), EpochTable.everyMemberDa(WEIGHTS, COMMITMENT).daMembers());
    }

    @Test
    void theDaSetIsCopiedInAndOut() {
        BitSet in = bits(2);
        EpochTable t = new EpochTable(WEIGHTS, in, COMMITMENT);
        in.set(0);
        t.daMembers().set(0);
        assertFalse(t.isDaMember(0), "neither the caller's set nor a returned copy reaches the table");
        assertTrue(t.isDaMember(2));
        assertFalse(t.isDaMember(-1));
        assertFalse(t.isDaMember(5));
        assertEquals(bits(2), t.daMembers());
    }
}
