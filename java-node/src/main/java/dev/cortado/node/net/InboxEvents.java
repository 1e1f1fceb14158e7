package dev.cortado.node.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Feeds every inbound session's payloads into one {@link BoundedInbox}, with back-pressure. */
public final class InboxEvents implements SessionEvents {
  private final BoundedInbox<InboundMessage> inbox;
  private final Set<PeerSession> open = ConcurrentHashMap.newKeySet();

  public InboxEvents(BoundedInbox<InboundMessage> inbox) {
    this.inbox = inbox;
  }

  @Override
  public void onOpen(PeerSession session) {
    open.add(session);
  }

  @Override
  public boolean onMessage(PeerSession session, byte[] payload) {
    return inbox.offer(new InboundMessage(session.remoteKey(), payload));
  }

  @Override
  public void whenSpace(Runnable wake) {
    inbox.whenSpace(wake);
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
