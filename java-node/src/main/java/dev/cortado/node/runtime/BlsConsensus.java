package dev.cortado.node.runtime;

import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Signature;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Consensus signatures over BLS12-381 (min-sig). Keys are the stake table's, in table order; they
 * were subgroup-checked when parsed, so aggregate keys are plain sums ({@link Bls#sumKeys}).
 */
public final class BlsConsensus implements ConsensusCrypto, ConsensusSigner {
  private final List<BlsPublicKey> keys;
  private final BlsKeyPair own;
  private final int index;

  public BlsConsensus(List<BlsPublicKey> tableKeys, BlsKeyPair own, int index) {
    this.keys = List.copyOf(tableKeys);
    this.own = own;
    this.index = index;
    if (!keys.get(index).equals(own.publicKey())) {
      throw new IllegalArgumentException("key at stake-table index " + index + " is not this node's key");
    }
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public Signature sign(Bytes32 digest) {
    return new Signature(Bls.sign(own.secretKey(), digest).toBytes());
  }

  @Override
  public boolean verify(int signer, Bytes32 digest, Signature signature) {
    if (signer < 0 || signer >= keys.size()) {
      return false;
    }
    try {
      return Bls.verify(keys.get(signer), digest, BlsSignature.fromBytes(signature.bytes()));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  @Override
  public AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures) {
    BitSet signers = new BitSet();
    List<BlsSignature> sigs = new ArrayList<>(signatures.size());
    for (Map.Entry<Integer, Signature> e : signatures.entrySet()) {
      signers.set(e.getKey());
      sigs.add(BlsSignature.fromBytes(e.getValue().bytes()));
    }
    return new AggregateSignature(signers, Bls.aggregate(sigs).toBytes());
  }

  @Override
  public boolean verifyAggregate(Bytes32 digest, AggregateSignature aggregate) {
    BitSet signers = aggregate.signers();
    if (signers.isEmpty() || signers.length() > keys.size()) {
      return false;
    }
    List<BlsPublicKey> signerKeys = new ArrayList<>(signers.cardinality());
    for (int i = signers.nextSetBit(0); i >= 0; i = signers.nextSetBit(i + 1)) {
      signerKeys.add(keys.get(i));
    }
    try {
      return Bls.fastAggregateVerify(Bls.sumKeys(signerKeys), digest, BlsSignature.fromBytes(aggregate.aggregate()));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
