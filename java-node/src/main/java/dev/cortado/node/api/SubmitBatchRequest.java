package dev.cortado.node.api;

import java.util.List;

/** Body of {@code POST /v0/submit/batch}: up to 10,000 submissions, each as for {@code /v0/submit}. */
public record SubmitBatchRequest(List<SubmitRequest> transactions) {}
