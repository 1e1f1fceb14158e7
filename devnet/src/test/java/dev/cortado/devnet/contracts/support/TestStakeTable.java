package dev.cortado.devnet.contracts.support;

import dev.cortado.contracts.generated.LightClient;
import dev.cortado.protocol.cert.NonSignerData;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.codec.DomainTags;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.lightclient.AbsentMembers;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stake table built in Java from the protocol module's primitives (keys, keccak, ABI, Merkle),
 * following docs/architecture.md, plus certificates for {@code LightClient.newFinalizedState}.
 */
public final class TestStakeTable {
    /** One member: its keys, stake in gwei and DA flag. */
    public record Member(BlsKeyPair keys, long stakeGwei, boolean isDa) {
    }

    /** Everything newFinalizedState takes, for one signed state; {@code absent} is the packed form. */
    public record Certificate(
            LightClient.LightClientState state,
            LightClient.StakeTableSummary table,
            byte[] signature,
            byte[] absent) {
    }

    private final List<Member> members;
    private final List<Bytes32> leaves;

    public TestStakeTable(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a stake table needs members");
        }
        this.members = List.copyOf(members);
        List<Bytes32> l = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            l.add(leaf(i, members.get(i)));
        }
        this.leaves = List.copyOf(l);
    }

    /** {@code n} members with keys from seeded random seeds and stakes between 1 and 1000 gwei units. */
    public static TestStakeTable random(int n, long seed) {
        Random rnd = new Random(seed);
        List<Member> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] keySeed = new byte[32];
            rnd.nextBytes(keySeed);
            m.add(new Member(BlsKeyPair.fromSeed(keySeed), 1 + rnd.nextInt(1000), rnd.nextBoolean()));
        }
        return new TestStakeTable(m);
    }

    /** {@code n} members with the given stakes and deterministic keys. */
    public static TestStakeTable withStakes(long seed, long... stakesGwei) {
        List<Member> m = new ArrayList<>();
        for (int i = 0; i < stakesGwei.length; i++) {
            m.add(new Member(keyPair(seed, i), stakesGwei[i], i % 2 == 0));
        }
        return new TestStakeTable(m);
    }

    /** A deterministic key pair. */
    public static BlsKeyPair keyPair(long seed, int i) {
        byte[] s = ByteBuffer.allocate(32).putLong(seed).putLong(i).putLong(0x5eed).array();
        return BlsKeyPair.fromSeed(s);
    }

    public static Bytes32 leaf(int index, Member m) {
        return Abi.encoder().bytes32(DomainTags.STAKE_LEAF).uint256(index)
                .bytes32(Keccak.hash(m.keys().publicKey().toEip2537())).uint256(m.stakeGwei()).bool(m.isDa())
                .hash();
    }

    public List<Member> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public Bytes32 root() {
        return MerkleTree.root(leaves);
    }

    public long totalStakeGwei() {
        return members.stream().mapToLong(Member::stakeGwei).sum();
    }

    public byte[] aggKey() {
        return Bls.sumKeys(members.stream().map(m -> m.keys().publicKey()).toList()).toEip2537();
    }

    public Bytes32 commitment() {
        return Abi.encoder().bytes32(DomainTags.STAKE_TABLE).bytes32(root()).uint256(size())
                .uint256(totalStakeGwei()).bytes32(Keccak.hash(aggKey())).hash();
    }

    public LightClient.StakeTableSummary summary() {
        return new LightClient.StakeTableSummary(aggKey(), root().bytes(), BigInteger.valueOf(size()),
                BigInteger.valueOf(totalStakeGwei()));
    }

    /** Member {@code index} as an absent member: its leaf preimage and its single Merkle path. */
    public NonSignerData.NonSigner nonSigner(int index) {
        Member m = members.get(index);
        return new NonSignerData.NonSigner(index, m.keys().publicKey().toEip2537(), m.stakeGwei(), m.isDa(),
                MerkleTree.proof(leaves, index).siblings());
    }

    /** The table's non-signer data with {@code absent} (any order, no duplicates) not signing. */
    public NonSignerData nonSignerData(Collection<Integer> absent) {
        return new NonSignerData(aggKey(), root(), size(), totalStakeGwei(),
                new TreeSet<>(absent).stream().map(this::nonSigner).toList());
    }

    /** The packed {@code absent} argument of newFinalizedState, with its multiproof. */
    public byte[] absent(Collection<Integer> absent) {
        return AbsentMembers.encode(nonSignerData(absent));
    }

    public static LightClient.LightClientState state(long view, long height, Bytes32 blockCommRoot,
            Bytes32 nextStakeTableComm) {
        return new LightClient.LightClientState(BigInteger.valueOf(view), BigInteger.valueOf(height),
                blockCommRoot.bytes(), nextStakeTableComm.bytes());
    }

    /** The digest the contract checks for {@code state}. */
    public static Bytes32 digest(long hotShotChainId, LightClient.LightClientState s) {
        return Digests.lcState(hotShotChainId, new View(s.viewNumber.longValueExact()),
                new Height(s.height.longValueExact()), Bytes32.of(s.blockCommRoot), Bytes32.of(s.stakeTableComm));
    }

    /** Every member except {@code nonSigners} signs {@code state}; the certificate lists the non-signers. */
    public Certificate certify(long hotShotChainId, LightClient.LightClientState state, Set<Integer> nonSigners) {
        Bytes32 digest = digest(hotShotChainId, state);
        List<BlsSignature> sigs = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (!nonSigners.contains(i)) {
                sigs.add(Bls.sign(members.get(i).keys().secretKey(), digest));
            }
        }
        return new Certificate(state, summary(), Bls.aggregate(sigs).toEip2537(), absent(nonSigners));
    }

    /** The aggregate signature of exactly {@code signers} over {@code state}'s digest. */
    public byte[] signatureBy(long hotShotChainId, LightClient.LightClientState state, Set<Integer> signers) {
        Bytes32 digest = digest(hotShotChainId, state);
        return Bls.aggregate(signers.stream().map(i -> Bls.sign(members.get(i).keys().secretKey(), digest)).toList())
                .toEip2537();
    }

    public BlsPublicKey publicKey(int i) {
        return members.get(i).keys().publicKey();
    }
}
