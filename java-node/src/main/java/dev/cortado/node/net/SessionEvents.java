package dev.cortado.node.net;

/** Callbacks from a session's event loop. Implementations must not block. */
public interface SessionEvents {
    /** The handshake completed; the peer proved it holds {@code session.remoteKey()}. */
    void onOpen(PeerSession session);

    /**
     * An application payload arrived in order. Return false when the consumer is full; the session
     * then stops reading and retries the same payload after {@link #whenSpace} fires.
     */
    boolean onMessage(PeerSession session, byte[] payload);

    /** Register a wake-up for when {@link #onMessage} may accept again. */
    void whenSpace(Runnable wake);

    /** The connection ended; {@code reason} says why (a refusal reason or "closed"). */
    void onClosed(PeerSession session, String reason);
}
