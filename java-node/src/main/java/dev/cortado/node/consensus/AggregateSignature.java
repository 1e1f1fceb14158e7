package dev.cortado.node.consensus;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;

/**
 * An aggregate over one digest: which stake-table indices signed (bit i = table entry i) and the
 * combined signature bytes. Who signed decides the stake; the bytes are checked by {@link ConsensusCrypto}.
 */
public record AggregateSignature(BitSet signers, byte[] aggregate) {
    /** The certificate that justifies the genesis leaf: nobody signs it, every replica trusts it by definition. */
    public static final AggregateSignature GENESIS = new AggregateSignature(new BitSet(), new byte[0]);

    public AggregateSignature {
        if (signers == null || aggregate == null) {
            throw new IllegalArgumentException("signers and aggregate are required");
        }
        signers = (BitSet) signers.clone();
        aggregate = aggregate.clone();
    }

    @Override
    public BitSet signers() {
        return (BitSet) signers.clone();
    }

    @Override
    public byte[] aggregate() {
        return aggregate.clone();
    }

    public boolean isSigner(int index) {
        return signers.get(index);
    }

    public int signerCount() {
        return signers.cardinality();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggregateSignature other && signers.equals(other.signers)
                && Arrays.equals(aggregate, other.aggregate);
    }

    @Override
    public int hashCode() {
        return 31 * signers.hashCode() + Arrays.hashCode(aggregate);
    }

    @Override
    public String toString() {
        return "Aggregate(" + signers + ", " + HexFormat.of().formatHex(aggregate, 0, Math.min(6, aggregate.length))
                + "..)";
    }
}
