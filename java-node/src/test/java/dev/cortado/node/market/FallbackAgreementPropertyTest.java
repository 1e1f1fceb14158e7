package dev.cortado.node.market;

import static dev.cortado.node.market.MarketFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Random windows, winners, silences and leader clock drift. Leaders build blocks from what they believe the
 * rights are; some leaders are Byzantine and split a bundle or sign for a rollup they do not hold. Four replicas
 * judge every block, one of them restarting at a random height and rebuilding its state from the decided chain.
 * All replicas must agree on every verdict and on the fallback point, and no bundle may be partly decided.
 */
class FallbackAgreementPropertyTest {
    static final int REPLICAS = 4;
    final BlockMarketRules rules = new BlockMarketRules(CHAIN_ID, MARKET);

    record Decided(long slot, List<SignedBundle> bundles, Map<Long, List<Bytes32>> txs) {
    }

    @Property(tries = 80)
    void replicasAgreeOnFallbackAndBundlesAreWhole(@ForAll @LongRange(min = 0, max = 1000) long window,
                                                   @ForAll boolean sold,
                                                   @ForAll @IntRange(min = 1, max = 12) int silenceSlots,
                                                   @ForAll @IntRange(min = 0, max = 100) int winnerSilencePercent,
                                                   @ForAll @IntRange(min = 0, max = 30) int byzantinePercent,
                                                   @ForAll long seed) {
        Random rnd = new Random(seed);
        MarketWindow market = window(window, sold);
        WindowActivity[] state = new WindowActivity[REPLICAS];
        for (int r = 0; r < REPLICAS; r++) state[r] = WindowActivity.start(market, silenceSlots);
        List<Decided> chain = new ArrayList<>();
        int restartAt = rnd.nextInt(20);
        long seq = 0;
        long trueSlot = market.firstSlot();
        for (int height = 0; height < 40; height++) {
            trueSlot += rnd.nextInt(3); // several blocks per slot, or a gap
            long drift = rnd.nextInt(3) - 1; // the leader's clock is off by up to one slot
            long slot = Math.max(chain.isEmpty() ? market.firstSlot() : chain.getLast().slot(), trueSlot + drift);
            if (!market.contains(slot)) break;
            boolean winnerSpeaks = rnd.nextInt(100) >= winnerSilencePercent;
            WindowActivity leaderView = state[0].advanceTo(slot, market.winners().values());
            List<SignedBundle> bundles = new ArrayList<>();
            for (long ns : List.of(NS_A, NS_B)) {
                if (market.rightOf(ns, leaderView) instanceof SequencingRight.Restricted r) {
                    Secp256k1.KeyPair key = keyOf(r);
                    if (key == WINNER && !winnerSpeaks) continue;
                    bundles.add(bundle(key, window, seq++, tx(ns, height * 2), tx(NS_OPEN, height * 100 + (int) ns)));
                }
            }
            Map<Long, List<Bytes32>> txs = blockOf(bundles, tx(NS_OPEN, 10_000 + height));
            boolean byzantine = !bundles.isEmpty() && rnd.nextInt(100) < byzantinePercent;
            if (byzantine) {
                if (rnd.nextBoolean()) {
                    txs.remove(bundles.getFirst().bundle().transactions().getFirst().namespace().value()); // split
                } else {
                    bundles.set(0, bundle(STRANGER, window, seq++, bundles.getFirst().bundle().transactions()
                            .toArray(Transaction[]::new))); // signs what it does not hold
                }
            }
            MarketVerdict[] verdicts = new MarketVerdict[REPLICAS];
            for (int r = 0; r < REPLICAS; r++) {
                if (r == REPLICAS - 1 && height == restartAt) state[r] = replay(market, silenceSlots, chain);
                verdicts[r] = judge(rules, slot, market, state[r], bundles, txs);
            }
            for (int r = 1; r < REPLICAS; r++) assertEquals(verdicts[0], verdicts[r], "replica " + r + " at " + height);
            // An honest leader's block always passes, and every Byzantine rewrite is caught.
            assertEquals(byzantine, verdicts[0] instanceof MarketVerdict.Invalid, "height " + height + ": " + verdicts[0]);
            if (verdicts[0] instanceof MarketVerdict.Valid v) {
                for (int r = 0; r < REPLICAS; r++) state[r] = ((MarketVerdict.Valid) verdicts[r]).next();
                chain.add(new Decided(slot, bundles, txs));
            }
        }
        assertWhole(chain);
        WindowActivity rebuilt = replay(market, silenceSlots, chain);
        for (WindowActivity s : state) assertEquals(rebuilt, s);
    }

    private WindowActivity replay(MarketWindow market, int silenceSlots, List<Decided> chain) {
        WindowActivity a = WindowActivity.start(market, silenceSlots);
        for (Decided d : chain) {
            a = assertInstanceOf(MarketVerdict.Valid.class, judge(rules, d.slot(), market, a, d.bundles(), d.txs()))
                    .next();
        }
        return a;
    }

    private static void assertWhole(List<Decided> chain) {
        for (Decided d : chain) {
            Set<Bytes32> inBlock = new HashSet<>();
            d.txs().values().forEach(inBlock::addAll);
            for (SignedBundle sb : d.bundles()) {
                for (Transaction tx : sb.bundle().transactions()) {
                    assertTrue(inBlock.contains(tx.hash()), "bundle " + sb.id() + " partly decided");
                }
            }
        }
    }

    private static Secp256k1.KeyPair keyOf(SequencingRight.Restricted r) {
        for (Secp256k1.KeyPair k : List.of(WINNER, DEFAULT_A, DEFAULT_B)) {
            if (k.address().equals(r.sequencer())) return k;
        }
        throw new AssertionError("no key for " + r);
    }
}
