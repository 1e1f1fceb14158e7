package dev.cortado.node.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global checker itself must catch what it is there to catch. */
class SafetyCheckerTest {
    private final Leaf genesis = Leaf.genesis(1);

    private Leaf child(Leaf parent, long view, String block) {
        return new Leaf(1, View.of(view), parent.height().next(), parent.commitment(),
                Keccak.hash(block.getBytes()), parent.view());
    }

    @Test
    void agreeingChainsPass() {
        SafetyChecker checker = new SafetyChecker(genesis);
        checker.start(0, genesis);
        checker.start(1, genesis);
        Leaf a = child(genesis, 1, "a");
        Leaf b = child(a, 2, "b");
        checker.onDecide(0, List.of(a, b), 10);
        checker.onDecide(1, List.of(a), 11);
        checker.onDecide(1, List.of(b), 12);
        assertEquals(List.of(), checker.violations());
        assertEquals(2, checker.decidedHeight(1));
    }

    @Test
    void twoBlocksAtOneHeightFail() {
        SafetyChecker checker = new SafetyChecker(genesis);
        checker.start(0, genesis);
        checker.start(1, genesis);
        checker.onDecide(0, List.of(child(genesis, 1, "a")), 10);
        checker.onDecide(1, List.of(child(genesis, 2, "b")), 11);
        assertEquals(1, checker.violations().size());
        assertTrue(checker.violations().getFirst().contains("was decided"));
    }

    @Test
    void aChainThatIsNotAPrefixFails() {
        SafetyChecker checker = new SafetyChecker(genesis);
        checker.start(0, genesis);
        Leaf a = child(genesis, 1, "a");
        Leaf stray = new Leaf(1, View.of(3), a.height().next(), Bytes32.fromHex("33".repeat(32)),
                Keccak.hash(new byte[] {1}), View.of(2));
        checker.onDecide(0, List.of(a, stray), 10);
        assertTrue(checker.violations().getFirst().contains("does not extend"));
    }

    @Test
    void aDecidedLeafWhoseDataReachedAtMostAThirdOfTheStakeFails() {
        long[] stakes = {1, 1, 1, 1};
        boolean[] honest = {true, true, true, false};
        SafetyChecker checker = new SafetyChecker(genesis, stakes, honest);
        checker.start(0, genesis);
        Leaf a = child(genesis, 1, "a");
        Leaf b = child(a, 2, "b");
        checker.onDataAvailable(0, a.blockCommitment());
        checker.onDataAvailable(1, a.blockCommitment());
        checker.onDataAvailable(0, b.blockCommitment());
        checker.onDataAvailable(3, b.blockCommitment()); // the faulty replica's copy does not count
        checker.onDecide(0, List.of(a), 10);
        assertEquals(List.of(), checker.violations(), "2 of 4 honest units had a's data");
        checker.onDecide(0, List.of(b), 11);
        assertEquals(1, checker.violations().size());
        assertTrue(checker.violations().getFirst().startsWith(SafetyChecker.DATA), checker.violations().getFirst());
    }
}
