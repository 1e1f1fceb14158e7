package dev.cortado.node.net;

import java.util.function.BiFunction;

/** Where authenticated inbound payloads go: normally the node's bounded event queue. */
public interface InboundSink {
    /** False when full; the caller stops reading and retries after {@link #whenSpace}. */
    boolean offer(PeerKey from, byte[] payload);

    void whenSpace(Runnable wake);

    static <T> InboundSink into(BoundedInbox<T> inbox, BiFunction<PeerKey, byte[], T> wrap) {
        return new InboundSink() {
            @Override
            public boolean offer(PeerKey from, byte[] payload) {
                return inbox.offer(wrap.apply(from, payload));
            }

            @Override
            public void whenSpace(Runnable wake) {
                inbox.whenSpace(wake);
            }
        };
    }

    static InboundSink into(BoundedInbox<InboundMessage> inbox) {
        return into(inbox, InboundMessage::new);
    }
}
