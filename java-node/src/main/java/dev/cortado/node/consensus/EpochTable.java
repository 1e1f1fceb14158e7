package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.BitSet;
import java.util.Objects;

/**
 * One epoch's table over the fixed universe of replica indices: the voting stakes ({@link StakeWeights#ofEpoch}: zero
 * stake is "not a member this epoch"), which indices the table marks as DA members (StakeTable.sol's {@code isDa} for a
 * table read from L1, the {@code [[peers]]} {@code da} flags for the genesis table), and the commitment the previous
 * epoch's handover leaf must name. The commitment covers the DA flags too (they are in every stake leaf), so a light
 * client that trusts it knows the DA membership this table gives. Immutable: the DA set is copied in and out.
 *
 * @param daMembers the universe indices this table marks as DA members; each must hold stake in {@code weights}
 */
public record EpochTable(StakeWeights weights, BitSet daMembers, Bytes32 commitment) {
    public EpochTable {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(daMembers, "daMembers");
        Objects.requireNonNull(commitment, "commitment");
        if (commitment.equals(Bytes32.ZERO)) {
            throw new IllegalArgumentException("a table's commitment cannot be zero");
        }
        daMembers = (BitSet) daMembers.clone();
        for (int i = daMembers.nextSetBit(0); i >= 0; i = daMembers.nextSetBit(i + 1)) {
            if (!weights.isMember(i)) {
                throw new IllegalArgumentException("index " + i + " is marked DA but holds no stake in the table"
                        + (weights.contains(i) ? "" : " (the universe has " + weights.size() + " indices)"));
            }
        }
    }

    /** A table whose every staked index is a DA member (consensus fixtures, where the DA committee plays no part). */
    public static EpochTable everyMemberDa(StakeWeights weights, Bytes32 commitment) {
        BitSet da = new BitSet();
        for (int i = 0; i < weights.size(); i++) {
            da.set(i, weights.isMember(i));
        }
        return new EpochTable(weights, da, commitment);
    }

    /** A copy: the table's own set never leaves it. */
    @Override
    public BitSet daMembers() {
        return (BitSet) daMembers.clone();
    }

    /** True when {@code index} holds stake in this table and the table marks it as DA. */
    public boolean isDaMember(int index) {
        return index >= 0 && daMembers.get(index);
    }
}
