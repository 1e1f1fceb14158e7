package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.Objects;

/**
 * One epoch's voting table over the fixed universe of replica indices ({@link StakeWeights#ofEpoch}: zero stake is
 * "not a member this epoch"), with the commitment the previous epoch's handover leaf must name.
 */
public record EpochTable(StakeWeights weights, Bytes32 commitment) {
    public EpochTable {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(commitment, "commitment");
        if (commitment.equals(Bytes32.ZERO)) {
            throw new IllegalArgumentException("a table's commitment cannot be zero");
        }
    }
}
