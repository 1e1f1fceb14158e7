package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Height;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The VID share assignment (issue 14): a block's shares go to the peers with stake in its epoch's table, in universe
 * order, each at its rank. Five peers; index 4 joins in epoch 1, index 1 exits in epoch 1, epoch 2 holds everyone.
 */
class VidSlotsTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final long[] GENESIS = {1, 1, 1, 1, 0};
    private static final long[] EPOCH_1 = {2, 0, 1, 1, 3};
    private static final long[] EPOCH_2 = {1, 1, 1, 1, 1};
    private static final int JOINER = 4;
    private static final int EXITER = 1;

    private final Map<Long, Integer> asked = new HashMap<>();
    private boolean epoch3Known;

    private Optional<EpochTable> source(long epoch) {
        asked.merge(epoch, 1, Integer::sum);
        long[] w = epoch == 1 ? EPOCH_1 : epoch == 2 ? EPOCH_2 : epoch == 3 && !epoch3Known ? null : EPOCH_1;
        return w == null ? Optional.empty()
                : Optional.of(EpochTable.everyMemberDa(StakeWeights.ofEpoch(w), Keccak.hash(new byte[] {(byte) epoch})));
    }

    private final VidSlots slots = new VidSlots(Epochs.of(SCHEDULE, this::source), StakeWeights.ofEpoch(GENESIS));

    private static List<OptionalInt> positions(VidSlots.Assignment a) {
        List<OptionalInt> out = new ArrayList<>();
        for (int i = 0; i < a.universeSize(); i++) {
            out.add(a.positionOf(i));
        }
        return out;
    }

    private static OptionalInt at(int p) {
        return OptionalInt.of(p);
    }

    @Test
    void aJoinerHoldsNoShareBeforeItsFirstEpochAndItsRankFromThenOn() {
        for (long h = 0; h <= SCHEDULE.lastHeight(0); h++) {
            VidSlots.Assignment a = slots.forHeight(new Height(h)).orElseThrow();
            assertEquals(0, a.epoch());
            assertEquals(4, a.shareCount(), "epoch 0 has four staked peers");
            assertEquals(List.of(at(0), at(1), at(2), at(3), OptionalInt.empty()), positions(a));
        }
        VidSlots.Assignment e1 = slots.forHeight(new Height(SCHEDULE.firstHeight(1))).orElseThrow();
        assertEquals(1, e1.epoch());
        assertEquals(4, e1.shareCount());
        // Ranks among the holders, not peer indices: the joiner (index 4) holds position 3, index 2 position 1.
        assertEquals(List.of(at(0), OptionalInt.empty(), at(1), at(2), at(3)), positions(e1));
        assertEquals(JOINER, e1.holderAt(3));
        assertEquals(2, e1.holderAt(1));
        assertThrows(IllegalArgumentException.class, () -> e1.holderAt(4));
        VidSlots.Assignment e2 = slots.forHeight(new Height(SCHEDULE.lastHeight(2))).orElseThrow();
        assertEquals(5, e2.shareCount(), "the count follows the table");
        assertEquals(List.of(at(0), at(1), at(2), at(3), at(4)), positions(e2));
    }

    @Test
    void anExiterHoldsNoShareFromItsExitEpochAndEachSideOfThePresenceRuleIsNamed() {
        VidSlots.Assignment e0 = slots.forEpoch(0).orElseThrow();
        VidSlots.Assignment e1 = slots.forEpoch(1).orElseThrow();
        assertEquals(at(1), e0.positionOf(EXITER));
        assertEquals(OptionalInt.empty(), e1.positionOf(EXITER));
        assertEquals(Optional.empty(), e1.presenceProblem(EXITER, false));
        assertEquals(Optional.of("a share for node 1, which holds no share in epoch 1 (no stake in its table)"),
                e1.presenceProblem(EXITER, true));
        assertEquals(Optional.of("no share for node 4, which holds position 3 of 4 in epoch 1"),
                e1.presenceProblem(JOINER, false));
        assertEquals(Optional.empty(), e1.presenceProblem(JOINER, true));
        assertEquals(OptionalInt.empty(), e1.positionOf(-1));
        assertEquals(OptionalInt.empty(), e1.positionOf(5));
    }

    @Test
    void anEpochWhoseTableIsUnknownHasNoAnswerUntilItIsKnown() {
        Height inEpoch3 = new Height(SCHEDULE.firstHeight(3) + 1);
        assertEquals(Optional.empty(), slots.forHeight(inEpoch3), "nothing is guessed");
        assertEquals(Optional.empty(), slots.forHeight(inEpoch3));
        epoch3Known = true;
        assertEquals(4, slots.forHeight(inEpoch3).orElseThrow().shareCount(), "an unknown answer is not remembered");
    }

    @Test
    void theNewestEpochsAreKeptAndOlderOnesAskedAgain() {
        epoch3Known = true;
        slots.forEpoch(1);
        slots.forEpoch(1);
        assertEquals(1, asked.get(1L), "a kept epoch is not asked again");
        for (long e = 1; e <= 20; e++) {
            slots.forEpoch(e);
        }
        assertEquals(VidSlots.RETAIN_EPOCHS, slots.cachedEpochs());
        assertEquals(1, slots.forEpoch(1).orElseThrow().epoch());
        assertEquals(2, asked.get(1L), "an evicted epoch is asked of the source again, which answers the same table");
        slots.forEpoch(0);
        assertEquals(null, asked.get(0L), "epoch 0 is the genesis weights, never the source's");
    }

    @Test
    void withoutEpochsEveryStakedPeerHoldsTheShareAtItsIndexAsBefore() {
        VidSlots none = new VidSlots(Epochs.NONE, new StakeWeights(new long[] {5, 1, 7, 2}));
        for (long h : new long[] {0, 1, 6, 1_000_000_000L}) {
            VidSlots.Assignment a = none.forHeight(new Height(h)).orElseThrow();
            assertEquals(4, a.shareCount());
            for (int i = 0; i < 4; i++) {
                assertEquals(at(i), a.positionOf(i));
                assertEquals(i, a.holderAt(i));
            }
        }
        VidSlots single = VidSlots.single(7);
        assertEquals(7, single.forHeight(new Height(123)).orElseThrow().shareCount());
        assertEquals(at(6), single.forHeight(new Height(123)).orElseThrow().positionOf(6));
        // A peer without stake and without epochs (the node refuses to start so): the rule gives it no share.
        VidSlots unstaked = new VidSlots(Epochs.NONE, StakeWeights.ofEpoch(GENESIS));
        assertEquals(4, unstaked.forHeight(new Height(40)).orElseThrow().shareCount());
        assertTrue(unstaked.forHeight(new Height(40)).orElseThrow().positionOf(JOINER).isEmpty());
    }

    @Test
    void aTableOverAnotherUniverseIsRefused() {
        VidSlots wrong = new VidSlots(Epochs.of(SCHEDULE, e -> Optional.of(EpochTable.everyMemberDa(StakeWeights.ofEpoch(
                new long[] {1, 1, 1}), Keccak.hash(new byte[] {1})))), StakeWeights.ofEpoch(GENESIS));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.forEpoch(1));
        assertEquals("the table of epoch 1 covers 3 peers, the universe 5", e.getMessage());
    }
}
