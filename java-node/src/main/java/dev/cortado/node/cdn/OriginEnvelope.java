package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.protocol.codec.Keccak;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a node puts inside a BROADCAST or DIRECT payload so that the broker cannot speak for it.
 * The broker stamps the sender on DELIVER, but a broker is not trusted with identity: every message
 * whose meaning depends on who sent it carries the origin node's BLS signature (min-sig, 48 bytes)
 * over {@link #digest}, checked by the receiver against the stamped sender.
 *
 * <p>Forms ({@code u8 form ‖ body}): SIGNED_DIRECT (1) {@code signature[48] ‖ payload};
 * SIGNED_BROADCAST (2) {@code u8 topic ‖ signature[48] ‖ payload}; PLAIN (3) {@code payload}, for
 * gossip whose sender does not matter (transaction batches), which the receiver attributes to the
 * broker itself, never to a node; PROBE (4) {@code nonce[8]}, sent by a node to itself through the
 * broker to learn whether the broker relays; MAC_DIRECT (5) {@code tag[16] ‖ payload} and MAC_BROADCAST (6)
 * {@code u8 topic ‖ u16 count ‖ count × tag[16] ‖ payload}, the same proof of origin from a key the
 * sender shares with each recipient ({@link PairMacs}), one tag per staked node in key order.
 */
public sealed interface OriginEnvelope {
    int SIGNATURE_BYTES = 48;
    int NONCE_BYTES = 8;
    byte[] TAG = Keccak.hash("cortado/cdn-origin/v1".getBytes(StandardCharsets.UTF_8)).bytes();

    record SignedDirect(byte[] signature, byte[] payload) implements OriginEnvelope {}

    record SignedBroadcast(Topic topic, byte[] signature, byte[] payload) implements OriginEnvelope {}

    record Plain(byte[] payload) implements OriginEnvelope {}

    record Probe(long nonce) implements OriginEnvelope {}

    record MacDirect(byte[] tag, byte[] payload) implements OriginEnvelope {}

    /** {@code tags.get(i)} is for the i-th staked key in {@link PairMacs#order}; the sender's own slot is zeros. */
    record MacBroadcast(Topic topic, java.util.List<byte[]> tags, byte[] payload) implements OriginEnvelope {}

    /**
     * {@code keccak256(abi.encode(TAG_cdn-origin, chainId, keccak256(senderKey), route, keccak256(payload)))}
     * with {@code TAG_cdn-origin = keccak256("cortado/cdn-origin/v1")} and {@code route} =
     * {@code keccak256(recipientKey)} for a direct message or the topic code as a 32-byte word for a
     * broadcast, so a message for one node cannot be handed to another as addressed to it.
     */
    static byte[] digest(byte[] chainId, PeerKey sender, byte[] route, byte[] payload) {
        return Keccak.hash(TAG, chainId, Keccak.hash(sender.bytes()).bytes(), route, Keccak.hash(payload).bytes()).bytes();
    }

    static byte[] directRoute(PeerKey recipient) {
        return Keccak.hash(recipient.bytes()).bytes();
    }

    static byte[] topicRoute(Topic topic) {
        byte[] word = new byte[32];
        word[31] = (byte) topic.bit();
        return word;
    }

    static byte[] encode(OriginEnvelope e) {
        return switch (e) {
            case SignedDirect d -> ByteBuffer.allocate(1 + SIGNATURE_BYTES + d.payload().length)
                    .put((byte) 1).put(d.signature()).put(d.payload()).array();
            case SignedBroadcast b -> ByteBuffer.allocate(2 + SIGNATURE_BYTES + b.payload().length)
                    .put((byte) 2).put((byte) b.topic().bit()).put(b.signature()).put(b.payload()).array();
            case Plain p -> ByteBuffer.allocate(1 + p.payload().length).put((byte) 3).put(p.payload()).array();
            case Probe p -> ByteBuffer.allocate(1 + NONCE_BYTES).put((byte) 4).putLong(p.nonce()).array();
            case MacDirect d -> ByteBuffer.allocate(1 + PairMacs.TAG_BYTES + d.payload().length)
                    .put((byte) 5).put(d.tag()).put(d.payload()).array();
            case MacBroadcast b -> {
                ByteBuffer out = ByteBuffer.allocate(4 + b.tags().size() * PairMacs.TAG_BYTES + b.payload().length)
                        .put((byte) 6).put((byte) b.topic().bit()).putShort((short) b.tags().size());
                b.tags().forEach(out::put);
                yield out.put(b.payload()).array();
            }
        };
    }

    /** Parses the form and lengths only (no crypto); throws {@link WireFormatException}. */
    static OriginEnvelope decode(byte[] bytes) {
        if (bytes.length < 1) {
            throw new WireFormatException("empty origin envelope");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        return switch (bytes[0]) {
            case 1 -> new SignedDirect(take(in, SIGNATURE_BYTES), take(in, in.remaining()));
            case 2 -> {
                if (in.remaining() < 1) {
                    throw new WireFormatException("signed broadcast without topic");
                }
                Topic topic = Topic.fromCode(in.get() & 0xff);
                yield new SignedBroadcast(topic, take(in, SIGNATURE_BYTES), take(in, in.remaining()));
            }
            case 3 -> new Plain(take(in, in.remaining()));
            case 4 -> {
                if (in.remaining() != NONCE_BYTES) {
                    throw new WireFormatException("probe body must be " + NONCE_BYTES + " bytes, got " + in.remaining());
                }
                yield new Probe(in.getLong());
            }
            case 5 -> new MacDirect(take(in, PairMacs.TAG_BYTES), take(in, in.remaining()));
            case 6 -> {
                if (in.remaining() < 3) {
                    throw new WireFormatException("tagged broadcast without topic and tag count");
                }
                Topic topic = Topic.fromCode(in.get() & 0xff);
                int count = in.getShort() & 0xffff;
                if (count == 0 || count > PairMacs.MAX_TABLE) {
                    throw new WireFormatException("tagged broadcast carries " + count + " tags, want 1.." + PairMacs.MAX_TABLE);
                }
                java.util.List<byte[]> tags = new java.util.ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    tags.add(take(in, PairMacs.TAG_BYTES));
                }
                yield new MacBroadcast(topic, tags, take(in, in.remaining()));
            }
            default -> throw new WireFormatException("unknown origin envelope form " + (bytes[0] & 0xff));
        };
    }

    private static byte[] take(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new WireFormatException("origin envelope truncated: need " + n + " bytes, have " + in.remaining());
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
