package dev.cortado.node.api;

/** Answer of {@code POST /v0/submit}: the transaction hash, and whether it was already known. */
public record SubmitResponse(String hash, boolean duplicate) {}
