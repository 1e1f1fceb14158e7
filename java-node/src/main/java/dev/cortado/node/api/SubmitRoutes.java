package dev.cortado.node.api;

import static dev.cortado.node.api.ApiHandler.body;
import static dev.cortado.node.api.ApiHandler.truncate;

import dev.cortado.lightclient.submit.BinaryBatch;
import dev.cortado.lightclient.submit.MalformedBatchException;
import dev.cortado.lightclient.submit.Submission;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.SubmitResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The submission routes ({@code /v0/submit}, {@code /batch}, {@code /binary}, {@code /bundle}): each returns the
 * 200 answer's body or throws an {@link ApiError} with the 4xx and its reason. Transactions in the namespace of
 * bundle records, or in one the market gate restricts, are refused before they reach the mempool. While the node's
 * undecided backlog is at its limit, the transaction routes answer 429 {@code backlog} with {@code Retry-After}
 * before reading the body, and a batch is refused whole (client pushback, docs/architecture.md).
 */
final class SubmitRoutes {
    /**
     * How long a client refused for the backlog is told to wait: about one view, after which a decided block may have
     * made room. Clients add their own backoff on repeated refusals.
     */
    static final int BACKLOG_RETRY_AFTER_SECONDS = 1;

    private final HttpApiServer server;

    SubmitRoutes(HttpApiServer server) {
        this.server = server;
    }

    SubmitResponse single(FullHttpRequest req) {
        refuseIfBacklogged();
        SubmitBodies.Tx tx = SubmitBodies.single(body(req));
        Optional<MarketGate.Refusal> refused = refuseLoose(tx.namespace());
        if (refused.isPresent()) {
            throw apiError(refused.get());
        }
        return switch (server.backend.submit(tx.namespace(), tx.payload())) {
            case SubmitResult.Accepted a -> new SubmitResponse(a.hash().toHex(), false);
            case SubmitResult.Duplicate d -> new SubmitResponse(d.hash().toHex(), true);
            case SubmitResult.Refused f when f.reason() == SubmitResult.Reason.BACKLOG -> throw backlogError(f);
            case SubmitResult.Refused f -> throw new ApiError(switch (f.reason()) {
                case EMPTY_TRANSACTION, MALFORMED_NAMESPACE -> HttpResponseStatus.BAD_REQUEST;
                case TRANSACTION_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
                case NAMESPACE_FULL, MEMPOOL_FULL, BACKLOG -> HttpResponseStatus.TOO_MANY_REQUESTS;
            }, f.reason().name().toLowerCase(Locale.ROOT), f.detail());
        };
    }

    /**
     * Many submissions in one request (load generators, sequencers forwarding bundles). Each entry is
     * judged on its own; the answer lists, in order, a hash or an {@code {error, detail}} per entry.
     */
    SubmitBatchResponse batch(FullHttpRequest req) {
        refuseIfBacklogged();
        return judge(SubmitBodies.batch(body(req)));
    }

    /** The batch endpoint without JSON: {@link BinaryBatch}'s length-prefixed layout, refused whole if malformed. */
    SubmitBatchResponse binary(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw new ApiError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "body must be application/octet-stream (see /openapi.json, /v0/submit/binary), got " + truncate(type));
        }
        refuseIfBacklogged();
        List<Submission> txs;
        try {
            txs = BinaryBatch.decode(body(req));
        } catch (MalformedBatchException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_batch", e.getMessage());
        }
        List<SubmitBodies.Entry> entries = new ArrayList<>(txs.size());
        for (Submission tx : txs) {
            entries.add(tx.namespace() < 0
                    ? new SubmitBodies.Refused(new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_namespace",
                            "namespace must be an unsigned 63-bit integer, got " + Long.toUnsignedString(tx.namespace())))
                    : new SubmitBodies.Tx(tx.namespace(), tx.payload()));
        }
        return judge(entries);
    }

    /** One signed bundle in BundleCodec form; the gate decodes it within the request size limit. */
    MarketGate.BundleAccepted bundle(FullHttpRequest req) {
        MarketGate gate = server.marketGate;
        if (gate == null) {
            throw new ApiError(HttpResponseStatus.NOT_FOUND, "bundles_disabled",
                    "this node does not follow L1 ([l1] in node.toml), so it takes no bundles");
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw new ApiError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "body must be application/octet-stream (a BundleCodec bundle), got " + truncate(type));
        }
        return switch (gate.submitBundle(body(req))) {
            case MarketGate.BundleAccepted a -> a;
            case MarketGate.BundleRefused r -> throw apiError(r.refusal());
        };
    }

    private SubmitBatchResponse judge(List<SubmitBodies.Entry> entries) {
        Object[] results = new Object[entries.size()];
        List<Mempool.Submission> toPool = new ArrayList<>(entries.size());
        List<Integer> positions = new ArrayList<>(entries.size());
        for (int i = 0; i < results.length; i++) {
            switch (entries.get(i)) {
                case SubmitBodies.Refused r -> results[i] = new ApiError.Body(r.error().error, r.error().getMessage());
                case SubmitBodies.Tx tx -> {
                    Optional<MarketGate.Refusal> refused = refuseLoose(tx.namespace());
                    if (refused.isPresent()) {
                        results[i] = new ApiError.Body(refused.get().error(), refused.get().detail());
                    } else {
                        toPool.add(new Mempool.Submission(tx.namespace(), tx.payload()));
                        positions.add(i);
                    }
                }
            }
        }
        // One mempool call for the batch: the decided-index lookups of all its entries are one store read.
        List<SubmitResult> pooled = toPool.isEmpty() ? List.of() : server.backend.submitAll(toPool);
        for (SubmitResult r : pooled) {
            // The backend refuses a batch for the backlog as a whole, so this answers the request, not the entry.
            if (r instanceof SubmitResult.Refused f && f.reason() == SubmitResult.Reason.BACKLOG) {
                throw backlogError(f);
            }
        }
        for (int k = 0; k < pooled.size(); k++) {
            results[positions.get(k)] = switch (pooled.get(k)) {
                case SubmitResult.Accepted a -> new SubmitResponse(a.hash().toHex(), false);
                case SubmitResult.Duplicate d -> new SubmitResponse(d.hash().toHex(), true);
                case SubmitResult.Refused f -> new ApiError.Body(f.reason().name().toLowerCase(Locale.ROOT), f.detail());
            };
        }
        return new SubmitBatchResponse(List.of(results));
    }

    /** The cheap check, before the body is decoded or anything is hashed. */
    private void refuseIfBacklogged() {
        Optional<SubmitResult.Refused> busy = server.backend.backlogRefusal();
        if (busy.isPresent()) {
            throw backlogError(busy.get());
        }
    }

    private ApiError backlogError(SubmitResult.Refused r) {
        server.backlogRefused.increment();
        return new ApiError(HttpResponseStatus.TOO_MANY_REQUESTS, "backlog", r.detail() + "; retry after "
                + BACKLOG_RETRY_AFTER_SECONDS + " s", BACKLOG_RETRY_AFTER_SECONDS);
    }

    private Optional<MarketGate.Refusal> refuseLoose(long namespace) {
        if (namespace == dev.cortado.protocol.market.BundleRecord.NAMESPACE) {
            // Blocks carry bundle records there; a loose transaction in it would make the leader's block invalid.
            return Optional.of(new MarketGate.Refusal(400, "reserved_namespace", "namespace "
                    + Long.toUnsignedString(namespace) + " is reserved for the bundle records blocks carry"));
        }
        MarketGate gate = server.marketGate;
        return gate == null ? Optional.empty() : gate.refuseLoose(namespace);
    }

    private static ApiError apiError(MarketGate.Refusal r) {
        return new ApiError(HttpResponseStatus.valueOf(r.status()), r.error(), r.detail());
    }
}
