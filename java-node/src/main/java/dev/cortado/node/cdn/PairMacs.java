package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerCrypto;
import dev.cortado.node.net.PeerKey;
import dev.cortado.protocol.codec.Keccak;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Origin tags that cost a hash instead of a pairing. Every pair of staked nodes shares a key that
 * no broker can compute: {@code K_ab = keccak256(TAG_cdn-pair ‖ chainId ‖ compress(sk_a · pk_b))},
 * the static Diffie-Hellman point of their BLS keys (symmetric, since {@code sk_a · pk_b = sk_b · pk_a}).
 * The tag of a message for recipient {@code r} is the first 16 bytes of
 * {@code keccak256(TAG_cdn-mac ‖ K_sender,r ‖ digest)}, with {@code digest} the same
 * {@link OriginEnvelope#digest} a signature would cover (sender, route, payload). Keccak has no
 * length extension, so the keyed hash is a MAC; 128-bit tags leave a forger a 2^-128 chance per try.
 *
 * <p>Unlike a signature a tag convinces only its recipient, so a broadcast carries one tag per staked
 * node ({@link #order}); that is why the form is used only up to {@link #MAX_TABLE} nodes. Nothing
 * in the node relies on envelopes being transferable: evidence (equivocation, certificates) is the
 * messages' own signatures.
 */
final class PairMacs {
    static final int TAG_BYTES = 16;
    /** Above this many staked nodes a broadcast's tags would outweigh a 48-byte signature too much. */
    static final int MAX_TABLE = 64;
    private static final byte[] PAIR_TAG = Keccak.hash("cortado/cdn-pair/v1".getBytes(StandardCharsets.UTF_8)).bytes();
    private static final byte[] MAC_TAG = Keccak.hash("cortado/cdn-mac/v1".getBytes(StandardCharsets.UTF_8)).bytes();

    private final byte[] chainId;
    private final PeerCrypto crypto;
    private final List<PeerKey> order;
    private final Map<PeerKey, Integer> slot = new ConcurrentHashMap<>();
    // Keyed by staked keys only (callers check first), so bounded by the stake table.
    private final Map<PeerKey, byte[]> keys = new ConcurrentHashMap<>();
    private final boolean usable;

    PairMacs(byte[] chainId, PeerCrypto crypto, Set<PeerKey> staked) {
        this.chainId = chainId.clone();
        this.crypto = crypto;
        this.order = staked.stream().sorted(Comparator.comparing(k -> k.bytes(), Arrays::compareUnsigned)).toList();
        for (int i = 0; i < order.size(); i++) {
            slot.put(order.get(i), i);
        }
        this.usable = order.size() <= MAX_TABLE && slot.containsKey(crypto.localKey())
                && crypto.sharedSecret(crypto.localKey()).isPresent();
    }

    /** Whether this node sends tags (else it signs): the table is small enough and the crypto can agree keys. */
    boolean usable() {
        return usable;
    }

    /** The staked keys in the order of a broadcast's tags: ascending unsigned key bytes. */
    List<PeerKey> order() {
        return order;
    }

    /** The position of {@code key} among a broadcast's tags, or -1 for a key outside the table. */
    int slotOf(PeerKey key) {
        Integer i = slot.get(key);
        return i == null ? -1 : i;
    }

    /** The tag for {@code peer} over {@code digest}, or empty when no key can be agreed with it. */
    Optional<byte[]> tag(PeerKey peer, byte[] digest) {
        byte[] k = keys.computeIfAbsent(peer, p -> crypto.sharedSecret(p)
                .map(point -> Keccak.hash(PAIR_TAG, chainId, point).bytes()).orElse(new byte[0]));
        if (k.length == 0) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(Keccak.hash(MAC_TAG, k, digest).bytes(), TAG_BYTES));
    }

    /** Constant-time comparison, so a forger learns nothing from how fast a wrong tag is refused. */
    boolean check(PeerKey peer, byte[] digest, byte[] tag) {
        Optional<byte[]> expected = tag(peer, digest);
        return expected.isPresent() && MessageDigest.isEqual(expected.get(), tag);
    }
}
