package dev.cortado.protocol.cert;

import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * What LightClient.sol needs to check a quorum certificate without the whole stake table: the table's
 * commitment preimage ({@code aggKey}, {@code root}, {@code count}, {@code totalStakeGwei}) and, for
 * each non-signer in ascending index order, its leaf data and Merkle proof. The contract recomputes the
 * commitment, proves each non-signer's leaf, subtracts its key and stake, requires
 * {@code 3·(total − absent) > 2·total}, and does one pairing check.
 */
public record NonSignerData(byte[] aggKeyEip2537, Bytes32 root, long count, long totalStakeGwei,
        List<NonSigner> nonSigners) {

    /** One absent validator: its leaf preimage and the proof of that leaf under {@code root}. */
    public record NonSigner(int index, byte[] pkEip2537, long stakeGwei, boolean isDa, List<Bytes32> siblings) {
        public NonSigner {
            pkEip2537 = pkEip2537.clone();
            siblings = List.copyOf(siblings);
        }

        @Override
        public byte[] pkEip2537() {
            return pkEip2537.clone();
        }
    }

    public NonSignerData {
        aggKeyEip2537 = aggKeyEip2537.clone();
        nonSigners = List.copyOf(nonSigners);
    }

    @Override
    public byte[] aggKeyEip2537() {
        return aggKeyEip2537.clone();
    }

    public static NonSignerData build(StakeTable table, SignerBitmap signers) {
        if (signers.size() != table.size()) {
            throw new IllegalArgumentException("bitmap covers " + signers.size() + " entries, table has " + table.size());
        }
        List<NonSigner> absent = new ArrayList<>();
        signers.nonSigners().forEach(i -> {
            StakeEntry e = table.entry(i);
            MerkleProof proof = table.membershipProof(i);
            absent.add(new NonSigner(i, e.key().toEip2537(), e.stakeGwei(), e.daMember(), proof.siblings()));
        });
        return new NonSignerData(table.aggregateKey().toEip2537(), table.merkleRoot(), table.size(),
                table.totalStakeGwei(), absent);
    }

    public long absentStakeGwei() {
        return nonSigners.stream().mapToLong(NonSigner::stakeGwei).sum();
    }
}
