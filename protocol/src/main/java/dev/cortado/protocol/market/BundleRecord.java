package dev.cortado.protocol.market;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a block carries a signed bundle: everything the sequencer's EIP-712 signature covers except the payloads,
 * which the block holds anyway in their namespaces. A record is one transaction of the reserved namespace
 * {@link #NAMESPACE}, so the header's payloadRoot commits to it like to any transaction, and a node outside the DA
 * committee, which holds only transaction hashes, can be handed the record bytes and check them against the hashes
 * the header bound. Byte form (big-endian):
 * <pre>
 * u8  version (=1)
 * u64 window ‖ u64 sequence ‖ u64 expirySlot
 * u32 count (1..Bundle.MAX_TRANSACTIONS), then per entry: u64 namespace ‖ bytes32 txHash
 * 65 bytes signature (r ‖ s ‖ v)
 * </pre>
 * Exactly {@code 94 + 40·count} bytes. The domain (chain id, marketplace) is not carried: a replica recovers the
 * signer under its own network's domain, so a bundle signed for another chain recovers to a stranger.
 */
public record BundleRecord(long window, long sequence, long expirySlot, List<BundleEntry> entries,
                           Secp256k1.Signature signature) {
    /** Reserved for bundle records (the highest namespace id): no rollup and no loose transaction may use it. */
    public static final long NAMESPACE = Long.MAX_VALUE;
    public static final int VERSION = 1;
    static final int FIXED_BYTES = 1 + 8 + 8 + 8 + 4 + Secp256k1.Signature.ENCODED_BYTES;
    static final int ENTRY_BYTES = 8 + 32;
    public static final int MAX_BYTES = FIXED_BYTES + ENTRY_BYTES * Bundle.MAX_TRANSACTIONS;

    public BundleRecord {
        if (entries == null || signature == null) throw new IllegalArgumentException("record needs entries and a signature");
        if (window < 0 || sequence < 0 || expirySlot < 0) {
            throw new IllegalArgumentException("bundle window, sequence and expiry slot must not be negative");
        }
        if (entries.isEmpty() || entries.size() > Bundle.MAX_TRANSACTIONS) {
            throw new IllegalArgumentException("a bundle holds 1 to " + Bundle.MAX_TRANSACTIONS + " transactions, got "
                    + entries.size());
        }
        entries = List.copyOf(entries);
        Set<Bytes32> seen = new HashSet<>();
        for (BundleEntry e : entries) {
            if (!seen.add(e.txHash())) throw new IllegalArgumentException("bundle lists transaction " + e.txHash() + " twice");
            if (e.namespace().value() == NAMESPACE) {
                throw new IllegalArgumentException("a bundle may not hold a transaction of the reserved namespace "
                        + Long.toUnsignedString(NAMESPACE));
            }
        }
    }

    public static BundleRecord of(SignedBundle signed) {
        Bundle b = signed.bundle();
        return new BundleRecord(b.window(), b.sequence(), b.expirySlot(), b.entries(), signed.signature());
    }

    /** The EIP-712 digest under this network's domain: what was signed, and the bundle's id. */
    public Bytes32 digest(long chainId, Address marketplace) {
        return Bundle.digestOf(chainId, marketplace, window, sequence, expirySlot, entries);
    }

    /** The signer under this network's domain, or empty for a malformed or high-s signature. */
    public Optional<Address> signer(long chainId, Address marketplace) {
        return Secp256k1.recover(digest(chainId, marketplace), signature);
    }

    /** The namespaces this bundle touches, ascending. */
    public Set<Long> namespaces() {
        Set<Long> out = new TreeSet<>();
        for (BundleEntry e : entries) out.add(e.namespace().value());
        return out;
    }

    public int encodedBytes() {
        return FIXED_BYTES + ENTRY_BYTES * entries.size();
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedBytes());
        out.put((byte) VERSION).putLong(window).putLong(sequence).putLong(expirySlot).putInt(entries.size());
        for (BundleEntry e : entries) out.putLong(e.namespace().value()).put(e.txHash().bytes());
        out.put(signature.encode());
        return out.array();
    }

    /** Decodes exactly one record; the length must be exactly what the count says, so nothing is over-allocated. */
    public static BundleRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_BYTES + ENTRY_BYTES || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("bundle record of " + (bytes == null ? 0 : bytes.length)
                    + " bytes, outside " + (FIXED_BYTES + ENTRY_BYTES) + ".." + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) throw new IllegalArgumentException("unknown bundle record version " + version);
            long window = in.getLong();
            long sequence = in.getLong();
            long expiry = in.getLong();
            int count = in.getInt();
            if (count < 1 || count > Bundle.MAX_TRANSACTIONS
                    || bytes.length != FIXED_BYTES + (long) ENTRY_BYTES * count) {
                throw new IllegalArgumentException("bundle record claims " + Integer.toUnsignedString(count)
                        + " entries in " + bytes.length + " bytes");
            }
            List<BundleEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long ns = in.getLong();
                byte[] hash = new byte[32];
                in.get(hash);
                entries.add(new BundleEntry(NamespaceId.of(ns), Bytes32.of(hash)));
            }
            byte[] sig = new byte[Secp256k1.Signature.ENCODED_BYTES];
            in.get(sig);
            return new BundleRecord(window, sequence, expiry, entries, Secp256k1.Signature.decode(sig));
        } catch (BufferUnderflowException truncated) {
            throw new IllegalArgumentException("bundle record truncated at byte " + in.position());
        }
    }

    /** Convenience for callers that hash records as transactions of {@link #NAMESPACE}. */
    public static Bytes32 txHashOf(byte[] recordBytes) {
        return Abi.encoder().bytes32(dev.cortado.protocol.codec.DomainTags.TX).uint64(NAMESPACE)
                .bytes32(Keccak.hash(recordBytes)).hash();
    }
}
