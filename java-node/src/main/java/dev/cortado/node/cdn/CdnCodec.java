package dev.cortado.node.cdn;

import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * CDN message encoding: {@code u8 kind ‖ body}. SUBSCRIBE (1): {@code u8 topicMask};
 * BROADCAST (2): {@code u8 topic ‖ payload}; DIRECT (3): {@code recipient[96] ‖ payload};
 * DELIVER (4): {@code sender[96] ‖ payload}. The payload runs to the end of the frame, whose size
 * the transport already bounded.
 */
public final class CdnCodec {
    private static final byte SUBSCRIBE = 1;
    private static final byte BROADCAST = 2;
    private static final byte DIRECT = 3;
    private static final byte DELIVER = 4;

    private CdnCodec() {}

    public static byte[] encode(CdnMessage m) {
        return switch (m) {
            case CdnMessage.Subscribe s -> {
                int mask = 0;
                for (Topic t : s.topics()) {
                    mask |= t.bit();
                }
                yield new byte[] {SUBSCRIBE, (byte) mask};
            }
            case CdnMessage.Broadcast b -> ByteBuffer.allocate(2 + b.payload().length)
                    .put(BROADCAST).put((byte) b.topic().bit()).put(b.payload()).array();
            case CdnMessage.Direct d -> ByteBuffer.allocate(1 + PeerKey.BYTES + d.payload().length)
                    .put(DIRECT).put(d.recipient().bytes()).put(d.payload()).array();
            case CdnMessage.Deliver d -> ByteBuffer.allocate(1 + PeerKey.BYTES + d.payload().length)
                    .put(DELIVER).put(d.sender().bytes()).put(d.payload()).array();
        };
    }

    public static CdnMessage decode(byte[] bytes) {
        if (bytes.length < 1) {
            throw new WireFormatException("empty CDN message");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        return switch (bytes[0]) {
            case SUBSCRIBE -> {
                if (in.remaining() != 1) {
                    throw new WireFormatException("SUBSCRIBE body must be 1 byte, got " + in.remaining());
                }
                int mask = in.get() & 0xff;
                if ((mask & ~3) != 0) {
                    throw new WireFormatException("unknown topic bits " + mask);
                }
                Set<Topic> topics = EnumSet.noneOf(Topic.class);
                for (Topic t : Topic.values()) {
                    if ((mask & t.bit()) != 0) {
                        topics.add(t);
                    }
                }
                yield new CdnMessage.Subscribe(topics);
            }
            case BROADCAST -> {
                if (in.remaining() < 1) {
                    throw new WireFormatException("BROADCAST without topic");
                }
                Topic topic = Topic.fromCode(in.get() & 0xff);
                yield new CdnMessage.Broadcast(topic, rest(in));
            }
            case DIRECT -> new CdnMessage.Direct(key(in), rest(in));
            case DELIVER -> new CdnMessage.Deliver(key(in), rest(in));
            default -> throw new WireFormatException("unknown CDN message kind " + (bytes[0] & 0xff));
        };
    }

    private static PeerKey key(ByteBuffer in) {
        if (in.remaining() < PeerKey.BYTES) {
            throw new WireFormatException("CDN message shorter than a peer key");
        }
        byte[] k = new byte[PeerKey.BYTES];
        in.get(k);
        return PeerKey.of(k);
    }

    private static byte[] rest(ByteBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.get(b);
        return b;
    }
}
