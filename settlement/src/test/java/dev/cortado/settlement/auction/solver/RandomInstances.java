package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random windows for tests and benchmarks: bundles of 1..maxBundle rollups, reserves and amounts in wei. */
public final class RandomInstances {
    private RandomInstances() {}

    /**
     * @param rollups rollups in the window (indexes 0..rollups-1); bids may also name rollup {@code rollups},
     *     which is not auctioned, so those bids are ineligible
     * @param hugeAmounts when true some amounts exceed a long (uint96 territory)
     */
    public static Instance generate(Random random, int bids, int rollups, int maxBundle, boolean hugeAmounts) {
        Map<Integer, BigInteger> reserves = new HashMap<>();
        for (int r = 0; r < rollups; r++) {
            reserves.put(r, BigInteger.valueOf(random.nextInt(4) == 0 ? 0 : random.nextInt(50)));
        }
        List<RevealedBid> out = new ArrayList<>();
        for (int id = 0; id < bids; id++) {
            int size = 1 + random.nextInt(Math.max(1, Math.min(maxBundle, rollups)));
            int[] indexes = new int[size];
            for (int k = 0; k < size; k++) {
                indexes[k] = random.nextInt(20) == 0 ? rollups : random.nextInt(rollups);
            }
            BigInteger amount = BigInteger.valueOf(random.nextInt(30 * size + 1));
            if (hugeAmounts && random.nextBoolean()) {
                amount = amount.shiftLeft(70).add(BigInteger.valueOf(random.nextInt(1000)));
            }
            out.add(new RevealedBid(id, Bundle.ofIndexes(indexes), amount));
        }
        return new Instance(out, Bundle.firstN(rollups), reserves);
    }
}
