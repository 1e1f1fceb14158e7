package dev.cortado.lightclient.submit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits transactions to a node through {@code POST /v0/submit/binary}, for load generators and
 * sequencers that forward many transactions: one request per batch, no hex or base64 inflation.
 * Batches larger than the node takes in one request are split by count and by
 * {@code maxBodyBytes}. Thread-safe; one instance per node.
 *
 * <p>A node whose undecided backlog is at its limit answers a request 429 {@code backlog} with {@code Retry-After}
 * and admits none of it; every transaction of that request then comes back as {@link SubmitOutcome.Backlogged}
 * (not an exception), so a caller whose batch was split knows exactly which parts to send again, and when.
 */
public final class SubmitClient {
    /** Under the node's default request limit (twice the 1 MiB default block limit, plus slack). */
    public static final int DEFAULT_MAX_BODY_BYTES = 2 << 20;
    /** The wait assumed when a backlog answer has no usable {@code Retry-After}. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** A {@code Retry-After} above this is read as this, so a wrong header cannot park a client for hours. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final URI endpoint;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxBodyBytes;
    private final JsonMapper json = JsonMapper.builder().build();

    public SubmitClient(URI nodeBase, HttpClient http, Duration requestTimeout, int maxBodyBytes) {
        String s = nodeBase.toString();
        this.endpoint = URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/v0/submit/binary");
        this.http = http;
        this.requestTimeout = requestTimeout;
        if (maxBodyBytes < BinaryBatch.HEADER + BinaryBatch.ENTRY_OVERHEAD + 1) {
            throw new IllegalArgumentException("maxBodyBytes too small: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    public SubmitClient(URI nodeBase) {
        this(nodeBase, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(30),
                DEFAULT_MAX_BODY_BYTES);
    }

    /** Submits {@code txs} and returns one outcome per transaction, in order. */
    public List<SubmitOutcome> submit(List<Submission> txs) throws IOException, InterruptedException, SubmitRefusedException {
        List<SubmitOutcome> out = new ArrayList<>(txs.size());
        for (List<Submission> chunk : chunks(txs)) {
            HttpResponse<byte[]> r = http.send(request(chunk), HttpResponse.BodyHandlers.ofByteArray());
            out.addAll(outcomes(r, chunk.size()));
        }
        return out;
    }

    /**
     * The same without blocking, for load generators that keep many requests in flight. The future
     * fails with {@link SubmitRefusedException} or {@link IOException} (wrapped in a
     * {@link CompletionException}).
     */
    public CompletableFuture<List<SubmitOutcome>> submitAsync(List<Submission> txs) {
        List<CompletableFuture<List<SubmitOutcome>>> parts = new ArrayList<>();
        for (List<Submission> chunk : chunks(txs)) {
            parts.add(http.sendAsync(request(chunk), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
                try {
                    return outcomes(r, chunk.size());
                } catch (SubmitRefusedException | IOException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<SubmitOutcome> out = new ArrayList<>(txs.size());
            parts.forEach(p -> out.addAll(p.join()));
            return out;
        });
    }

    private HttpRequest request(List<Submission> chunk) {
        return HttpRequest.newBuilder(endpoint).timeout(requestTimeout).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BinaryBatch.encode(chunk))).build();
    }

    List<List<Submission>> chunks(List<Submission> txs) {
        List<List<Submission>> out = new ArrayList<>();
        List<Submission> current = new ArrayList<>();
        long bytes = BinaryBatch.HEADER;
        for (Submission s : txs) {
            long entry = BinaryBatch.ENTRY_OVERHEAD + (long) s.payload().length;
            if (BinaryBatch.HEADER + entry > maxBodyBytes) {
                throw new IllegalArgumentException("a transaction of " + s.payload().length + " bytes cannot fit a "
                        + maxBodyBytes + "-byte request");
            }
            if (!current.isEmpty() && (current.size() == BinaryBatch.MAX_TRANSACTIONS || bytes + entry > maxBodyBytes)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = BinaryBatch.HEADER;
            }
            current.add(s);
            bytes += entry;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private List<SubmitOutcome> outcomes(HttpResponse<byte[]> r, int expected) throws SubmitRefusedException, IOException {
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (JacksonException e) {
            throw new IOException("node answered " + r.statusCode() + " with a body that is not JSON", e);
        }
        if (r.statusCode() == 429 && body.path("error").asString("").equals("backlog")) {
            SubmitOutcome.Backlogged b = new SubmitOutcome.Backlogged(body.path("detail").asString(""),
                    retryAfter(r.headers().firstValue("Retry-After").orElse(null)));
            return Collections.nCopies(expected, b);
        }
        if (r.statusCode() != 200) {
            throw new SubmitRefusedException(r.statusCode(), body.path("error").asString("unknown"), body.path("detail").asString(""));
        }
        JsonNode results = body.path("results");
        if (!results.isArray() || results.size() != expected) {
            throw new IOException("node answered " + results.size() + " results for " + expected + " transactions");
        }
        List<SubmitOutcome> out = new ArrayList<>(expected);
        for (JsonNode n : results) {
            if (n.has("hash")) {
                out.add(new SubmitOutcome.Accepted(n.get("hash").asString(), n.path("duplicate").asBoolean(false)));
            } else {
                out.add(new SubmitOutcome.Refused(n.path("error").asString("unknown"), n.path("detail").asString("")));
            }
        }
        return out;
    }

    /**
     * A {@code Retry-After} of delta-seconds, within 0..{@link #MAX_RETRY_AFTER}; the default when absent or a date. Public
     * so that every client of the node's submit routes reads the header the same way.
     */
    public static Duration retryAfter(String header) {
        if (header == null || !header.strip().matches("[0-9]{1,9}")) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration d = Duration.ofSeconds(Long.parseLong(header.strip()));
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
