package dev.cortado.node.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames. The declared length is validated before waiting for the
 * body, so the cumulation buffer never holds more than one maximum frame plus one socket read.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Bytes held in the cumulation buffer, waiting for the rest of a frame. */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = WireCodec.peekFrameLength(in, maxFrameBytes);
        if (length < 0 || in.readableBytes() < WireCodec.LENGTH_BYTES + length) {
            return;
        }
        in.skipBytes(WireCodec.LENGTH_BYTES);
        int end = in.readerIndex() + length;
        WireMessage message = WireCodec.decodeFrameBody(in, length);
        if (in.readerIndex() != end) {
            throw new WireFormatException("frame body not fully consumed");
        }
        out.add(message);
    }
}
