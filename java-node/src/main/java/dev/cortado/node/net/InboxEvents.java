package dev.cortado.node.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Feeds every inbound session's payloads into one sink (the node's bounded queue), with back-pressure. */
public final class InboxEvents implements SessionEvents {
    private final InboundSink sink;
    private final Set<PeerSession> open = ConcurrentHashMap.newKeySet();

    public InboxEvents(InboundSink sink) {
        this.sink = sink;
    }

    public InboxEvents(BoundedInbox<InboundMessage> inbox) {
        this(InboundSink.into(inbox));
    }

    @Override
    public void onOpen(PeerSession session) {
        open.add(session);
    }

    @Override
    public boolean onMessage(PeerSession session, byte[] payload) {
        return sink.offer(session.remoteKey(), payload);
    }

    @Override
    public void whenSpace(Runnable wake) {
        sink.whenSpace(wake);
    }

    @Override
    public void onClosed(PeerSession session, String reason) {
        open.remove(session);
    }

    /** Sessions currently open towards this listener. */
    public Set<PeerSession> openSessions() {
        return Set.copyOf(open);
    }
}
