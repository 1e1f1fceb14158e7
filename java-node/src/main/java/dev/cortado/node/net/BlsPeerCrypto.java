package dev.cortado.node.net;

import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import java.util.concurrent.ConcurrentHashMap;

/** Handshake signatures with the node's BLS key (min-sig, the protocol's signature DST). */
public final class BlsPeerCrypto implements PeerCrypto {
    private final BlsKeyPair keys;
    private final PeerKey local;
    // Decompressing and subgroup-checking a G2 key costs far more than a lookup; only authorized keys
    // reach verify(), so the cache is bounded by the stake table.
    private final ConcurrentHashMap<PeerKey, BlsPublicKey> parsed = new ConcurrentHashMap<>();
    // One scalar multiplication per peer; callers ask only for staked keys, so this is bounded by the table.
    private final ConcurrentHashMap<PeerKey, byte[]> shared = new ConcurrentHashMap<>();

    public BlsPeerCrypto(BlsKeyPair keys) {
        this.keys = keys;
        this.local = PeerKey.of(keys.publicKey().toBytes());
    }

    public static PeerKey peerKey(BlsPublicKey key) {
        return PeerKey.of(key.toBytes());
    }

    @Override
    public PeerKey localKey() {
        return local;
    }

    @Override
    public byte[] sign(byte[] digest) {
        return Bls.sign(keys.secretKey(), Bytes32.of(digest)).toBytes();
    }

    @Override
    public java.util.Optional<byte[]> sharedSecret(PeerKey peer) {
        byte[] point = shared.computeIfAbsent(peer, k -> {
            try {
                // fromBytes checks the curve and the subgroup, so a small-subgroup point cannot leak key bits.
                BlsPublicKey.fromBytes(k.bytes());
                supranational.blst.Scalar sk = new supranational.blst.Scalar().from_bendian(keys.secretKey().toBytes());
                return new supranational.blst.P2(k.bytes()).mult(sk).compress();
            } catch (RuntimeException malformed) { // IllegalArgumentException, or blst refusing the point
                return new byte[0];
            }
        });
        return point.length == 0 ? java.util.Optional.empty() : java.util.Optional.of(point.clone());
    }

    @Override
    public boolean verify(PeerKey key, byte[] digest, byte[] signature) {
        try {
            BlsPublicKey pk = parsed.computeIfAbsent(key, k -> BlsPublicKey.fromBytes(k.bytes()));
            return Bls.verify(pk, Bytes32.of(digest), BlsSignature.fromBytes(signature));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
