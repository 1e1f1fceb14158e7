package dev.cortado.node.api;

import java.util.List;

/** One result per submitted entry, in order: a {@link SubmitResponse} or an {@code {error, detail}}. */
public record SubmitBatchResponse(List<Object> results) {}
