package dev.cortado.node.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict decoding of submission bodies. The JSON is read as a tree and every field checked by
 * hand, because Jackson's binding coerces ({@code true} becomes {@code "true"}) and lets the last
 * of two duplicate keys win. Error codes name the field at fault: {@code malformed_namespace},
 * {@code malformed_payload}, otherwise {@code malformed_request}.
 */
final class SubmitBodies {
    /** Largest integer a JavaScript number holds exactly (2^53 - 1); larger namespaces travel as decimal strings. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    static final int MAX_BATCH = 10_000;

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of("namespace", "payload");

    private SubmitBodies() {}

    /** One decoded submission, or why the entry was refused. */
    sealed interface Entry {}

    record Tx(long namespace, byte[] payload) implements Entry {}

    record Refused(ApiError error) implements Entry {}

    /** {@code {"namespace": ..., "payload": ...}}; throws the entry's error. */
    static Tx single(byte[] body) {
        return switch (entry(tree(body, "{\"namespace\": <integer or decimal string>, \"payload\": \"0x<hex>\" or \"<padded base64>\"}"))) {
            case Tx tx -> tx;
            case Refused r -> throw r.error();
        };
    }

    /** {@code {"transactions": [...]}}; a bad entry is refused on its own, a bad envelope as a whole. */
    static List<Entry> batch(byte[] body) {
        JsonNode root = tree(body, "{\"transactions\": [{\"namespace\": ..., \"payload\": ...}, ...]}");
        if (!root.isObject() || root.size() != 1 || !root.has("transactions") || !root.get("transactions").isArray()) {
            throw malformed("body must be an object with exactly one field, transactions, an array");
        }
        JsonNode txs = root.get("transactions");
        if (txs.size() > MAX_BATCH) {
            throw malformed("transactions holds at most " + MAX_BATCH + " entries, got " + txs.size());
        }
        List<Entry> out = new ArrayList<>(txs.size());
        for (JsonNode tx : txs) {
            out.add(entry(tx));
        }
        return out;
    }

    private static JsonNode tree(byte[] body, String shape) {
        try {
            JsonNode n = STRICT.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw malformed("body is empty; expected " + shape);
            }
            return n;
        } catch (JacksonException e) {
            throw malformed("body must be JSON " + shape + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private static Entry entry(JsonNode n) {
        try {
            if (!n.isObject()) {
                throw malformed("a submission must be an object {namespace, payload}");
            }
            for (Map.Entry<String, JsonNode> f : n.properties()) {
                if (!FIELDS.contains(f.getKey())) {
                    throw malformed("unknown field \"" + truncate(f.getKey()) + "\" (known: namespace, payload)");
                }
            }
            if (!n.has("namespace") || !n.has("payload")) {
                throw malformed("namespace and payload are required");
            }
            long ns = namespace(n.get("namespace"));
            JsonNode p = n.get("payload");
            if (!p.isString()) {
                throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_payload",
                        "payload must be a string (0x-prefixed hex or padded base64), got " + p.getNodeType().name().toLowerCase());
            }
            return new Tx(ns, payload(p.stringValue()));
        } catch (ApiError e) {
            return new Refused(e);
        }
    }

    /** A JSON namespace: an integer up to 2^53 - 1, or a decimal string up to 2^63 - 1. */
    static long namespace(JsonNode n) {
        if (n.isString()) {
            return namespace(n.stringValue());
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0 && n.longValue() <= MAX_SAFE_INTEGER) {
            return n.longValue();
        }
        String got = n.isNumber() ? truncate(n.toString()) : n.getNodeType().name().toLowerCase();
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_namespace", "namespace must be an integer from 0 to "
                + MAX_SAFE_INTEGER + ", or a decimal string up to " + Long.MAX_VALUE + ", got " + got);
    }

    /** A namespace in a path or a JSON string: decimal digits only, 0 to 2^63 - 1. */
    static long namespace(String s) {
        if (!s.isEmpty() && s.length() <= 19 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooLarge) {
                // reported below
            }
        }
        throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_namespace",
                "namespace must be an unsigned 63-bit decimal integer, got \"" + truncate(s) + "\"");
    }

    /** {@code 0x}-prefixed hex, else standard base64 with its padding, as the OpenAPI document says. */
    static byte[] payload(String s) {
        try {
            if (s.startsWith("0x")) {
                return HexFormat.of().parseHex(s, 2, s.length());
            }
            if (s.length() % 4 != 0) {
                throw new IllegalArgumentException("base64 length " + s.length() + " is not a multiple of 4 (padding missing)");
            }
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_payload",
                    "payload must be 0x-prefixed hex or padded standard base64: " + e.getMessage());
        }
    }

    static ApiError malformed(String detail) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, "malformed_request", detail);
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
