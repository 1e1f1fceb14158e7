package dev.cortado.node.api;

/**
 * Body of {@code POST /v0/submit}. {@code payload} is either {@code 0x}-prefixed hex or standard
 * base64 (RFC 4648, with padding); the prefix decides.
 */
public record SubmitRequest(Long namespace, String payload) {}
