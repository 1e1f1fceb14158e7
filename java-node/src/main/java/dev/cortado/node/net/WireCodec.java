package dev.cortado.node.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Wire format, version 1. A frame is {@code u32 length ‖ u8 version ‖ u8 kind ‖ body}, where
 * {@code length} counts the bytes after itself. Bodies:
 *
 * <ul>
 *   <li>HELLO (1): {@code chainId[32] ‖ nonce[32] ‖ publicKey[96]}
 *   <li>AUTH (2): {@code signature[48]}
 *   <li>DATA (3): {@code u64 sequence ‖ payload}
 *   <li>PING (4): empty; a keep-alive outside the sequence so a silent peer is detected quickly
 * </ul>
 *
 * <p>Decoding is bounded: the length is checked against the maximum before any body is buffered,
 * fixed-size bodies must match exactly, and trailing bytes are an error.
 */
public final class WireCodec {
    public static final int VERSION = 1;
    public static final int LENGTH_BYTES = 4;
    public static final int SIGNATURE_BYTES = 48;
    static final byte KIND_HELLO = 1;
    static final byte KIND_AUTH = 2;
    static final byte KIND_DATA = 3;
    static final byte KIND_PING = 4;
    static final int HELLO_BODY_BYTES = 32 + 32 + PeerKey.BYTES;
    /** version + kind. */
    static final int MIN_FRAME_LENGTH = 2;

    private WireCodec() {}

    public static void encode(WireMessage message, ByteBuf out) {
        switch (message) {
            case WireMessage.Hello h -> {
                out.writeInt(MIN_FRAME_LENGTH + HELLO_BODY_BYTES).writeByte(VERSION).writeByte(KIND_HELLO);
                out.writeBytes(h.chainId()).writeBytes(h.nonce()).writeBytes(h.publicKey().bytes());
            }
            case WireMessage.Auth a -> {
                out.writeInt(MIN_FRAME_LENGTH + SIGNATURE_BYTES).writeByte(VERSION).writeByte(KIND_AUTH);
                out.writeBytes(a.signature());
            }
            case WireMessage.Data d -> {
                out.writeInt(MIN_FRAME_LENGTH + 8 + d.payload().length).writeByte(VERSION).writeByte(KIND_DATA);
                out.writeLong(d.sequence()).writeBytes(d.payload());
            }
            case WireMessage.Ping p -> out.writeInt(MIN_FRAME_LENGTH).writeByte(VERSION).writeByte(KIND_PING);
        }
    }

    public static byte[] encode(WireMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            encode(message, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * Reads the frame length at the reader index without consuming it, validating it against the
     * limit so an oversize frame is refused before its body is buffered. Returns -1 if fewer than 4
     * bytes are available.
     */
    static int peekFrameLength(ByteBuf in, int maxFrameBytes) {
        if (in.readableBytes() < LENGTH_BYTES) {
            return -1;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length < MIN_FRAME_LENGTH) {
            throw new WireFormatException("frame length " + length + " below minimum " + MIN_FRAME_LENGTH);
        }
        if (length > maxFrameBytes) {
            throw new WireFormatException("frame length " + length + " exceeds maximum " + maxFrameBytes);
        }
        return (int) length;
    }

    /** Decodes the frame body that follows the length field; consumes exactly {@code length} bytes. */
    static WireMessage decodeFrameBody(ByteBuf in, int length) {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new WireFormatException("unknown wire version " + version);
        }
        byte kind = in.readByte();
        int bodyBytes = length - MIN_FRAME_LENGTH;
        return switch (kind) {
            case KIND_HELLO -> {
                expectBody("HELLO", bodyBytes, HELLO_BODY_BYTES);
                byte[] chainId = read(in, 32);
                byte[] nonce = read(in, 32);
                yield new WireMessage.Hello(chainId, nonce, PeerKey.of(read(in, PeerKey.BYTES)));
            }
            case KIND_AUTH -> {
                expectBody("AUTH", bodyBytes, SIGNATURE_BYTES);
                yield new WireMessage.Auth(read(in, SIGNATURE_BYTES));
            }
            case KIND_DATA -> {
                if (bodyBytes < 8) {
                    throw new WireFormatException("DATA body " + bodyBytes + " bytes is shorter than its sequence");
                }
                long sequence = in.readLong();
                yield new WireMessage.Data(sequence, read(in, bodyBytes - 8));
            }
            case KIND_PING -> {
                expectBody("PING", bodyBytes, 0);
                yield WireMessage.Ping.INSTANCE;
            }
            default -> throw new WireFormatException("unknown frame kind " + (kind & 0xff));
        };
    }

    /** Decodes exactly one whole frame from {@code bytes}; anything left over is an error. */
    public static WireMessage decodeFrame(byte[] bytes, int maxFrameBytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        int length = peekFrameLength(in, maxFrameBytes);
        if (length < 0) {
            throw new WireFormatException("truncated frame length");
        }
        in.skipBytes(LENGTH_BYTES);
        if (in.readableBytes() < length) {
            throw new WireFormatException("frame declares " + length + " bytes, " + in.readableBytes() + " present");
        }
        if (in.readableBytes() > length) {
            throw new WireFormatException((in.readableBytes() - length) + " trailing bytes after frame");
        }
        return decodeFrameBody(in, length);
    }

    private static void expectBody(String kind, int actual, int expected) {
        if (actual != expected) {
            throw new WireFormatException(kind + " body must be " + expected + " bytes, got " + actual);
        }
    }

    private static byte[] read(ByteBuf in, int n) {
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }
}
