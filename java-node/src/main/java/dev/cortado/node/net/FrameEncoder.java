package dev.cortado.node.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

@ChannelHandler.Sharable
final class FrameEncoder extends MessageToByteEncoder<WireMessage> {
    static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(WireMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireMessage msg, ByteBuf out) {
        WireCodec.encode(msg, out);
    }
}
