package dev.cortado.node.market;

import static dev.cortado.node.market.MarketFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlockMarketRulesTest {
    final BlockMarketRules rules = new BlockMarketRules(CHAIN_ID, MARKET);
    final MarketWindow sold = window(3, true);
    final WindowActivity fresh = WindowActivity.start(sold, 8);
    final long slot = sold.firstSlot() + 1;

    MarketVerdict check(List<SignedBundle> bundles, Map<Long, List<Bytes32>> block) {
        return judge(rules, slot, sold, fresh, bundles, block);
    }

    String reason(MarketVerdict v) {
        return assertInstanceOf(MarketVerdict.Invalid.class, v).reason();
    }

    @Test
    void winnersCrossRollupBundleIsValidAndAdvancesItsSequence() {
        List<SignedBundle> bundles = List.of(bundle(WINNER, 3, 0, tx(NS_A, 1), tx(NS_B, 2)));
        MarketVerdict v = check(bundles, blockOf(bundles, tx(NS_OPEN, 3)));
        WindowActivity next = assertInstanceOf(MarketVerdict.Valid.class, v).next();
        assertEquals(0, next.lastSequenceOf(WINNER.address()));
        assertEquals(slot, next.lastActiveSlot().get(WINNER.address()));
    }

    @Test
    void looseTransactionInASoldNamespaceIsRejected() {
        Map<Long, List<Bytes32>> block = blockOf(List.of(), tx(NS_A, 1));
        assertTrue(reason(check(List.of(), block)).contains("restricted namespace takes whole bundles"));
        assertEquals(Optional.of("namespace 10 is sold in window 3: only bundles signed by "
                + WINNER.address().toHex() + " are accepted"), BlockMarketRules.refuseLoose(sold, fresh, NS_A));
        assertEquals(Optional.empty(), BlockMarketRules.refuseLoose(sold, fresh, NS_OPEN));
    }

    @Test
    void nonWinnersBundleInASoldNamespaceIsRejected() {
        List<SignedBundle> bundles = List.of(bundle(STRANGER, 3, 0, tx(NS_A, 1)));
        assertTrue(reason(check(bundles, blockOf(bundles))).contains("which only " + WINNER.address().toHex()));
    }

    @Test
    void defaultSequencerOwnsAnUnsoldNamespace() {
        MarketWindow unsold = window(3, false);
        WindowActivity start = WindowActivity.start(unsold, 8);
        List<SignedBundle> byDefault = List.of(bundle(DEFAULT_A, 3, 0, tx(NS_A, 1)));
        assertInstanceOf(MarketVerdict.Valid.class, judge(rules, slot, unsold, start, byDefault, blockOf(byDefault)));
        List<SignedBundle> byWinner = List.of(bundle(WINNER, 3, 0, tx(NS_A, 1)));
        assertTrue(reason(judge(rules, slot, unsold, start, byWinner, blockOf(byWinner))).contains("(unsold)"));
    }

    @Test
    void splitBundleIsRejected() {
        SignedBundle b = bundle(WINNER, 3, 0, tx(NS_A, 1), tx(NS_B, 2));
        Map<Long, List<Bytes32>> block = blockOf(List.of(b));
        block.remove(NS_B);
        assertTrue(reason(check(List.of(b), block)).contains("restricted namespace takes whole bundles"));
        SignedBundle open = bundle(WINNER, 3, 1, tx(NS_OPEN, 5), tx(NS_OPEN, 6));
        Map<Long, List<Bytes32>> partial = new HashMap<>();
        partial.put(NS_OPEN, List.of(tx(NS_OPEN, 5).hash()));
        assertTrue(reason(check(List.of(open), partial)).contains("all or nothing"));
    }

    @Test
    void reorderedBundleTransactionsAreRejected() {
        SignedBundle b = bundle(WINNER, 3, 0, tx(NS_A, 1), tx(NS_A, 2));
        Map<Long, List<Bytes32>> block = blockOf(List.of(b));
        block.put(NS_A, List.of(tx(NS_A, 2).hash(), tx(NS_A, 1).hash()));
        assertTrue(reason(check(List.of(b), block)).contains("in another order"));
    }

    @Test
    void replayFromAnotherWindowChainOrSequenceIsRejected() {
        List<SignedBundle> old = List.of(bundle(WINNER, 2, 0, tx(NS_A, 1)));
        assertTrue(reason(check(old, blockOf(old))).contains("is for window 2"));
        SignedBundle otherChain = new Bundle(1, MARKET, 3, 0, 200, List.of(tx(NS_A, 1))).sign(WINNER);
        // Another chain's signature recovers, under this network's domain, to someone who holds nothing here.
        String foreign = reason(check(List.of(otherChain), blockOf(List.of(otherChain))));
        assertTrue(foreign.contains("which only " + WINNER.address().toHex() + " may sequence (sold)"), foreign);
        List<SignedBundle> first = List.of(bundle(WINNER, 3, 4, tx(NS_A, 1)));
        WindowActivity after = ((MarketVerdict.Valid) check(first, blockOf(first))).next();
        List<SignedBundle> again = List.of(bundle(WINNER, 3, 4, tx(NS_A, 9)));
        MarketVerdict replay = judge(rules, slot + 1, sold, after, again, blockOf(again));
        assertTrue(reason(replay).contains("already at 4"));
    }

    @Test
    void expiredBundleIsRejected() {
        SignedBundle b = new Bundle(CHAIN_ID, MARKET, 3, 0, slot - 1, List.of(tx(NS_A, 1))).sign(WINNER);
        assertTrue(reason(check(List.of(b), blockOf(List.of(b)))).contains("expired"));
    }

    @Test
    void silentWinnerFallsBackToDefaultsForTheRestOfTheWindow() {
        long silence = 8;
        WindowActivity start = WindowActivity.start(sold, silence);
        long late = sold.firstSlot() + silence;
        List<SignedBundle> winnerLate = List.of(bundle(WINNER, 3, 0, tx(NS_A, 1)));
        assertTrue(reason(judge(rules, late, sold, start, winnerLate, blockOf(winnerLate))).contains("(fallback)"));
        List<SignedBundle> defaults = List.of(bundle(DEFAULT_A, 3, 0, tx(NS_A, 1)), bundle(DEFAULT_B, 3, 0, tx(NS_B, 2)));
        WindowActivity fallen = ((MarketVerdict.Valid) judge(rules, late, sold, start, defaults, blockOf(defaults))).next();
        assertTrue(fallen.hasFallenSilent(WINNER.address()));
        // The winner stays out even once it speaks again, until the window ends.
        assertTrue(reason(judge(rules, late + 5, sold, fallen, winnerLate, blockOf(winnerLate))).contains("(fallback)"));
        // One slot earlier the winner still held its rollups.
        assertInstanceOf(MarketVerdict.Valid.class, judge(rules, late - 1, sold, start, winnerLate, blockOf(winnerLate)));
    }

    @Test
    void blockOutsideTheWindowIsRejected() {
        assertTrue(reason(judge(rules, sold.firstSlot() + SLOTS_PER_WINDOW, sold, fresh, List.of(), Map.of()))
                .contains("outside window 3"));
    }

    @Test
    void stateStaysBoundedByTheRightHolders() {
        WindowActivity a = fresh;
        List<Address> winners = new ArrayList<>(sold.winners().values());
        for (long s = slot; s < slot + 20; s++) {
            List<SignedBundle> b = List.of(bundle(WINNER, 3, s, tx(NS_A, (int) s)));
            a = ((MarketVerdict.Valid) judge(rules, s, sold, a, b, blockOf(b))).next();
        }
        assertEquals(1, a.lastSequence().size());
        assertEquals(1, a.lastActiveSlot().size());
        assertTrue(a.advanceTo(slot + 20, winners).fallenSilent().isEmpty());
    }

}
