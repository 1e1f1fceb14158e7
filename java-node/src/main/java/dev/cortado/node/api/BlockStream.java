package dev.cortado.node.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code /v0/stream/blocks} subscriber. Blocks are pulled from the backend by height and
 * written only while the socket is writable, so a slow reader holds a cursor, not a buffer. Each
 * event's {@code id} is the block height; a client resumes with {@code ?from=} or
 * {@code Last-Event-ID}. Pumping reads the store, so it runs on the API workers, never two at
 * once for one stream.
 */
final class BlockStream {
    private final HttpApiServer server;
    private final Channel channel;
    /** Wake-ups not yet served; the one that raises it from zero schedules the pump. */
    private final AtomicInteger wakes = new AtomicInteger();
    private long nextHeight;
    /** The highest light-client height announced on this stream as L1-final. */
    private long announcedL1Height = -1;

    BlockStream(HttpApiServer server, Channel channel, long fromHeight) {
        this.server = server;
        this.channel = channel;
        this.nextHeight = fromHeight;
    }

    void wake() {
        if (wakes.getAndIncrement() == 0) {
            try {
                server.workers.execute(this::drain);
            } catch (RejectedExecutionException busy) {
                wakes.set(0); // the next decided block or writability change retries
            }
        }
    }

    private void drain() {
        int seen;
        do {
            seen = wakes.get();
            try {
                pump();
            } catch (RuntimeException e) {
                // A block that cannot be read or serialised ends this stream; the client resumes with Last-Event-ID.
                server.streams.remove(this);
                channel.close();
                return;
            }
        } while (wakes.addAndGet(-seen) != 0);
    }

    private void pump() {
        if (!channel.isActive()) {
            server.streams.remove(this);
            return;
        }
        boolean wrote = false;
        while (channel.isWritable() && nextHeight <= server.backend.latestHeight()) {
            if (nextHeight < server.backend.oldestHeight()) {
                String gap = "event: pruned\ndata: {\"from\":" + nextHeight + ",\"oldest\":" + server.backend.oldestHeight() + "}\n\n";
                write(gap);
                nextHeight = server.backend.oldestHeight();
                wrote = true;
                continue;
            }
            Optional<Object> block = server.backend.block(nextHeight, Optional.empty());
            if (block.isEmpty()) {
                break;
            }
            Object answer = block.get() instanceof dev.cortado.lightclient.api.BlockAnswer b ? server.confirmations.forBlock(b)
                    : block.get();
            write("id: " + nextHeight + "\nevent: block\ndata: " + server.json.writeValueAsString(answer) + "\n\n");
            nextHeight++;
            wrote = true;
        }
        // Blocks leave the stream HotShot-final; they turn L1-final later, all at once up to the light client's height.
        if (channel.isWritable() && server.confirmations.l1Check() instanceof Confirmations.L1Check.Agrees a
                && a.l1().lightClientHeight() > announcedL1Height && a.l1().lightClientHeight() < nextHeight) {
            announcedL1Height = a.l1().lightClientHeight();
            write("event: l1_final\ndata: " + server.json.writeValueAsString(a.l1()) + "\n\n");
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void write(String event) {
        channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(event.getBytes(StandardCharsets.UTF_8))));
    }
}
