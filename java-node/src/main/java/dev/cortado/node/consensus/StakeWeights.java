package dev.cortado.node.consensus;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Stake per table index (in gwei) and the > 2/3 and > 1/3 thresholds every certificate is measured by. The
 * genesis table gives every index stake; an epoch's table ({@link #ofEpoch}) is over the same fixed universe of
 * indices and gives zero to the indices that are not members in that epoch (they observe, never vote).
 */
public final class StakeWeights {
    private final long[] stakeGwei;
    private final long totalStakeGwei;

    public StakeWeights(long[] stakeGwei) {
        this(stakeGwei, false);
    }

    private StakeWeights(long[] stakeGwei, boolean zerosAllowed) {
        if (stakeGwei == null || stakeGwei.length == 0) {
            throw new IllegalArgumentException("the stake table needs at least one entry");
        }
        long total = 0;
        for (int i = 0; i < stakeGwei.length; i++) {
            if (stakeGwei[i] < 0 || (stakeGwei[i] == 0 && !zerosAllowed)) {
                throw new IllegalArgumentException("stake of entry " + i + " must be positive, got " + stakeGwei[i]);
            }
            total = Math.addExact(total, stakeGwei[i]);
        }
        if (total == 0) {
            throw new IllegalArgumentException("the stake table needs at least one member");
        }
        this.stakeGwei = stakeGwei.clone();
        this.totalStakeGwei = total;
    }

    /** An epoch's table over the universe {@code 0..stakeGwei.length-1}: zero marks a non-member. */
    public static StakeWeights ofEpoch(long[] stakeGwei) {
        return new StakeWeights(stakeGwei, true);
    }

    /** True when {@code index} is in the universe and holds stake in this table. */
    public boolean isMember(int index) {
        return contains(index) && stakeGwei[index] > 0;
    }

    public static StakeWeights equal(int n, long stakeGwei) {
        long[] s = new long[n];
        Arrays.fill(s, stakeGwei);
        return new StakeWeights(s);
    }

    public int size() {
        return stakeGwei.length;
    }

    public long stakeGwei(int index) {
        return stakeGwei[index];
    }

    public long totalStakeGwei() {
        return totalStakeGwei;
    }

    public boolean contains(int index) {
        return index >= 0 && index < stakeGwei.length;
    }

    /** Sum of the stake of {@code signers}; -1 when a signer is outside the table or not a member of it. */
    public long stakeOf(BitSet signers) {
        if (signers.length() > stakeGwei.length) {
            return -1;
        }
        long sum = 0;
        for (int i = signers.nextSetBit(0); i >= 0; i = signers.nextSetBit(i + 1)) {
            if (stakeGwei[i] == 0) {
                return -1;
            }
            sum += stakeGwei[i];
        }
        return sum;
    }

    /** {@code 3 * stake > 2 * total}: enough for a QC or TC. */
    public boolean isQuorum(long stake) {
        return BigInteger.valueOf(stake).multiply(BigInteger.valueOf(3))
                .compareTo(BigInteger.valueOf(totalStakeGwei).shiftLeft(1)) > 0;
    }

    /** {@code 3 * stake > total}: at least one honest replica among them. */
    public boolean exceedsOneThird(long stake) {
        return BigInteger.valueOf(stake).multiply(BigInteger.valueOf(3))
                .compareTo(BigInteger.valueOf(totalStakeGwei)) > 0;
    }
}
