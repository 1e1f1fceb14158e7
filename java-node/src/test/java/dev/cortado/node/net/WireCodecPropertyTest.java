package dev.cortado.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class WireCodecPropertyTest {
    private static final int MAX = 4096;

    @Property(tries = 3000)
    void arbitraryBytesEitherDecodeOrFailWithWireFormatException(@ForAll @Size(max = 600) byte[] junk) {
        try {
            WireMessage m = WireCodec.decodeFrame(junk, MAX);
            // Anything accepted must re-encode to exactly the input: no ambiguity, no ignored bytes.
            assertArrayEquals(junk, WireCodec.encode(m));
        } catch (WireFormatException expected) {
            // the decoder's own error type is the only acceptable failure
        }
    }

    @Property(tries = 2000)
    void mutatedValidFramesNeverThrowAnythingElse(
            @ForAll("messages") WireMessage message, @ForAll @IntRange(min = 0, max = 400) int position,
            @ForAll byte replacement, @ForAll @IntRange(min = -3, max = 3) int lengthDelta) {
        byte[] frame = WireCodec.encode(message);
        byte[] mutated = java.util.Arrays.copyOf(frame, Math.max(0, frame.length + lengthDelta));
        if (mutated.length > 0) {
            mutated[position % mutated.length] = replacement;
        }
        try {
            WireMessage m = WireCodec.decodeFrame(mutated, MAX);
            assertArrayEquals(mutated, WireCodec.encode(m));
        } catch (WireFormatException expected) {
            // fine
        }
    }

    @Property(tries = 500)
    void roundTrip(@ForAll("messages") WireMessage message) {
        byte[] frame = WireCodec.encode(message);
        assertArrayEquals(frame, WireCodec.encode(WireCodec.decodeFrame(frame, MAX)));
    }

    /** A declared length above the limit is refused from the 4-byte prefix alone, before buffering. */
    @Property(tries = 500)
    void oversizeLengthRefusedBeforeBody(@ForAll @IntRange(min = MAX + 1) int declared) {
        ByteBuf buf = Unpooled.buffer(4).writeInt(declared);
        assertThrows(WireFormatException.class, () -> WireCodec.peekFrameLength(buf, MAX));
    }

    /** The streaming decoder, fed arbitrary chunks, fails only with the wire error and never holds more than the limit. */
    @Property(tries = 500)
    void streamingDecoderIsBounded(@ForAll("chunks") List<byte[]> chunks) {
        FrameDecoder decoder = new FrameDecoder(MAX);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        List<Object> out = new ArrayList<>();
        try {
            for (byte[] c : chunks) {
                ch.writeInbound(Unpooled.wrappedBuffer(c));
                assertTrue(decoder.bufferedBytes() <= WireCodec.LENGTH_BYTES + MAX + c.length,
                        () -> "decoder buffered " + decoder.bufferedBytes());
                Object o;
                while ((o = ch.readInbound()) != null) {
                    out.add(o);
                }
            }
            ch.finishAndReleaseAll();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof WireFormatException)) {
                root = root.getCause();
            }
            assertEquals(WireFormatException.class, root.getClass(), () -> "unexpected " + e);
            ch.close();
        }
        out.forEach(o -> assertTrue(o instanceof WireMessage));
    }

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        Arbitrary<byte[]> valid = messages().map(WireCodec::encode);
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(valid, junk).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<WireMessage> messages() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<byte[]> b96 = Arbitraries.bytes().array(byte[].class).ofSize(96);
        Arbitrary<WireMessage> hello = Combinators.combine(b32, b32, b96)
                .as((c, n, k) -> new WireMessage.Hello(c, n, PeerKey.of(k)));
        Arbitrary<WireMessage> auth = Arbitraries.bytes().array(byte[].class).ofSize(48).map(WireMessage.Auth::new);
        Arbitrary<WireMessage> data = Combinators.combine(Arbitraries.longs(), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(WireMessage.Data::new);
        return Arbitraries.oneOf(hello, auth, data, Arbitraries.just(WireMessage.Ping.INSTANCE));
    }
}
