package dev.cortado.protocol.stake;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ordered validator set of an epoch. The order is the order of signer bitmaps and of the
 * Merkle leaves that L1 checks; the commitment is exactly the one in docs/architecture.md.
 */
public final class StakeTable {
    /** Bounds bitmap and proof sizes; far above any planned committee. */
    public static final int MAX_ENTRIES = 1 << 16;

    private final List<StakeEntry> entries;
    private final Map<BlsPublicKey, Integer> indexByKey;
    private final List<Bytes32> leaves;
    private final long totalStakeGwei;
    private final long committeeStakeGwei;
    private final BlsPublicKey aggregateKey;
    private final BlsPublicKey committeeAggregateKey;
    private final Bytes32 merkleRoot;
    private final Bytes32 commitment;

    private StakeTable(List<StakeEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a stake table needs at least one entry");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a stake table holds at most " + MAX_ENTRIES + " entries");
        }
        this.entries = List.copyOf(entries);
        Map<BlsPublicKey, Integer> index = new HashMap<>();
        List<Bytes32> leafList = new ArrayList<>(entries.size());
        List<BlsPublicKey> committee = new ArrayList<>();
        long total = 0;
        long committeeTotal = 0;
        for (int i = 0; i < this.entries.size(); i++) {
            StakeEntry e = this.entries.get(i);
            if (index.putIfAbsent(e.key(), i) != null) {
                throw new IllegalArgumentException("duplicate key in stake table at index " + i + ": " + e.key());
            }
            total = Math.addExact(total, e.stakeGwei());
            if (e.daMember()) {
                committeeTotal = Math.addExact(committeeTotal, e.stakeGwei());
                committee.add(e.key());
            }
            leafList.add(leafHash(i, e));
        }
        this.indexByKey = Map.copyOf(index);
        this.leaves = List.copyOf(leafList);
        this.totalStakeGwei = total;
        this.committeeStakeGwei = committeeTotal;
        this.aggregateKey = Bls.sumKeys(this.entries.stream().map(StakeEntry::key).toList());
        this.committeeAggregateKey = committee.isEmpty() ? null : Bls.sumKeys(committee);
        this.merkleRoot = MerkleTree.root(leaves);
        this.commitment = Abi.encoder().bytes32(DomainTags.STAKE_TABLE).bytes32(merkleRoot)
                .uint256(this.entries.size()).uint256(totalStakeGwei)
                .bytes32(Keccak.hash(aggregateKey.toEip2537())).hash();
    }

    public static StakeTable of(List<StakeEntry> entries) {
        return new StakeTable(entries);
    }

    /** {@code keccak256(abi.encode(TAG_stake-leaf, uint256 i, keccak256(pkEip2537), uint256 stakeGwei, bool isDa))}. */
    public static Bytes32 leafHash(int index, StakeEntry e) {
        return Abi.encoder().bytes32(DomainTags.STAKE_LEAF).uint256(index).bytes32(Keccak.hash(e.key().toEip2537()))
                .uint256(e.stakeGwei()).bool(e.daMember()).hash();
    }

    public int size() {
        return entries.size();
    }

    public List<StakeEntry> entries() {
        return entries;
    }

    public StakeEntry entry(int index) {
        return entries.get(index);
    }

    public OptionalInt indexOf(BlsPublicKey key) {
        Integer i = indexByKey.get(key);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public long totalStakeGwei() {
        return totalStakeGwei;
    }

    public long committeeStakeGwei() {
        return committeeStakeGwei;
    }

    public int committeeSize() {
        return (int) entries.stream().filter(StakeEntry::daMember).count();
    }

    /** Sum of every key in the table. */
    public BlsPublicKey aggregateKey() {
        return aggregateKey;
    }

    /** Sum of the DA committee's keys; absent when the table has no committee members. */
    public Optional<BlsPublicKey> committeeAggregateKey() {
        return Optional.ofNullable(committeeAggregateKey);
    }

    public Bytes32 leaf(int index) {
        return leaves.get(index);
    }

    public List<Bytes32> leaves() {
        return leaves;
    }

    public Bytes32 merkleRoot() {
        return merkleRoot;
    }

    /** {@code keccak256(abi.encode(TAG_stake-table, root, uint256 count, uint256 totalStakeGwei, keccak256(aggKey)))}. */
    public Bytes32 commitment() {
        return commitment;
    }

    public MerkleProof membershipProof(int index) {
        return MerkleTree.proof(leaves, index);
    }

    /** The quorum rule {@code 3·signed > 2·total}, in exact arithmetic. */
    public static boolean exceedsTwoThirds(long signedStakeGwei, long totalStakeGwei) {
        return BigInteger.valueOf(signedStakeGwei).multiply(BigInteger.valueOf(3))
                .compareTo(BigInteger.valueOf(totalStakeGwei).shiftLeft(1)) > 0;
    }

    public boolean isQuorum(long signedStakeGwei) {
        return exceedsTwoThirds(signedStakeGwei, totalStakeGwei);
    }

    @Override
    public String toString() {
        return "StakeTable(size=" + size() + ", totalStakeGwei=" + totalStakeGwei + ", commitment=" + commitment + ")";
    }
}
