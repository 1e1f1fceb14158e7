package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.math.BigInteger;

/**
 * Stake-weighted, deterministic leader rotation. Weights are the stakes reduced by their gcd; when the
 * reduced total is still large they are scaled to about {@code 16 * n} slots (at least one each).
 * Smooth weighted round robin over those weights yields one period of slots in which every replica
 * appears in proportion to its weight and as evenly spread as possible; view {@code v} is led by slot
 * {@code v mod period}. Equal stakes give plain round robin. An index without stake (not a member of an
 * epoch's table) never leads.
 */
public final class LeaderSchedule {
    private final int[] slots;

    public LeaderSchedule(StakeWeights stakes) {
        int n = stakes.size();
        long[] weights = new long[n];
        long gcd = 0;
        for (int i = 0; i < n; i++) {
            gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(stakes.stakeGwei(i))).longValueExact();
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = stakes.stakeGwei(i) / gcd;
            total += weights[i];
        }
        long maxSlots = 16L * n;
        if (total > maxSlots) {
            total = 0;
            for (int i = 0; i < n; i++) {
                long scaled = BigInteger.valueOf(stakes.stakeGwei(i)).multiply(BigInteger.valueOf(maxSlots))
                        .divide(BigInteger.valueOf(stakes.totalStakeGwei())).longValueExact();
                weights[i] = stakes.stakeGwei(i) == 0 ? 0 : Math.max(1, scaled);
                total += weights[i];
            }
        }
        slots = new int[Math.toIntExact(total)];
        long[] current = new long[n];
        for (int s = 0; s < slots.length; s++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            slots[s] = best;
        }
    }

    public int leader(View view) {
        return slots[(int) (view.value() % slots.length)];
    }

    public int period() {
        return slots.length;
    }
}
