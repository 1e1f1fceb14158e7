package dev.cortado.node.net;

/** A payload received from an authenticated peer (or relayed for one by a broker). */
public record InboundMessage(PeerKey from, byte[] payload) {}
