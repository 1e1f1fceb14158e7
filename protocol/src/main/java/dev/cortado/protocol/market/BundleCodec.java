package dev.cortado.protocol.market;

import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Address;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a signed bundle, as sequencers submit it and blocks carry it:
 * <pre>
 * u8  version (=1)
 * u64 chainId ‖ 20 bytes marketplace ‖ u64 window ‖ u64 sequence ‖ u64 expirySlot
 * u32 count (1..Bundle.MAX_TRANSACTIONS), then per transaction: u64 namespace ‖ u32 length ‖ payload
 * 65 bytes signature (r ‖ s ‖ v)
 * </pre>
 * All integers are big-endian. Decoding checks every length against the bytes left before allocating, so a
 * hostile length cannot make it allocate more than the input's size.
 */
public final class BundleCodec {
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 1 + 8 + Address.LENGTH + 8 + 8 + 8 + 4;

    private BundleCodec() {
    }

    public static byte[] encode(SignedBundle signed) {
        Bundle b = signed.bundle();
        int size = HEADER_BYTES + Secp256k1.Signature.ENCODED_BYTES;
        for (Transaction tx : b.transactions()) size += 12 + tx.payloadLength();
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) VERSION).putLong(b.chainId()).put(b.marketplace().bytes()).putLong(b.window())
                .putLong(b.sequence()).putLong(b.expirySlot()).putInt(b.transactions().size());
        for (Transaction tx : b.transactions()) {
            out.putLong(tx.namespace().value()).putInt(tx.payloadLength()).put(tx.payload());
        }
        out.put(signed.signature().encode());
        return out.array();
    }

    /** Decodes exactly one bundle; trailing bytes, bad lengths and bad values are errors with a reason. */
    public static SignedBundle decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES + Secp256k1.Signature.ENCODED_BYTES) {
            throw new IllegalArgumentException("bundle too short: " + (bytes == null ? 0 : bytes.length) + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) throw new IllegalArgumentException("unknown bundle version " + version);
            long chainId = in.getLong();
            byte[] market = new byte[Address.LENGTH];
            in.get(market);
            long window = in.getLong();
            long sequence = in.getLong();
            long expiry = in.getLong();
            int count = in.getInt();
            if (count < 1 || count > Bundle.MAX_TRANSACTIONS) {
                throw new IllegalArgumentException("bundle transaction count " + Integer.toUnsignedString(count)
                        + " outside 1.." + Bundle.MAX_TRANSACTIONS);
            }
            List<Transaction> txs = new ArrayList<>(Math.min(count, in.remaining() / 12));
            for (int i = 0; i < count; i++) {
                long namespace = in.getLong();
                int length = in.getInt();
                if (length < 0 || length > in.remaining() - Secp256k1.Signature.ENCODED_BYTES) {
                    throw new IllegalArgumentException("transaction " + i + " claims "
                            + Integer.toUnsignedString(length) + " bytes, more than the bundle holds");
                }
                byte[] payload = new byte[length];
                in.get(payload);
                txs.add(new Transaction(NamespaceId.of(namespace), payload));
            }
            byte[] sig = new byte[Secp256k1.Signature.ENCODED_BYTES];
            in.get(sig);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after the bundle signature");
            }
            return new SignedBundle(new Bundle(chainId, new Address(market), window, sequence, expiry, txs),
                    Secp256k1.Signature.decode(sig));
        } catch (BufferUnderflowException truncated) {
            throw new IllegalArgumentException("bundle truncated at byte " + in.position());
        }
    }
}
