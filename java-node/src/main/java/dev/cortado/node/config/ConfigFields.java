package dev.cortado.node.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Typed fields out of a TOML document parsed by jackson-dataformat-toml, collecting every problem
 * as a one-line message naming the field (for example {@code peers[2].address: expected host:port,
 * got "x"}), so a user sees all mistakes at once. Plain data binding would stop at the first bad
 * field, which is why the schema is checked here field by field over the parsed tree.
 */
final class ConfigFields {
    private static final TomlMapper TOML = new TomlMapper();

    private final List<String> problems = new ArrayList<>();

    /** The document's root table, or a {@link ConfigException} with one {@code syntax:} line. */
    static ObjectNode parse(String text) throws ConfigException {
        try {
            JsonNode root = TOML.readTree(text);
            return root instanceof ObjectNode o ? o : empty();
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ConfigException(List.of("syntax: " + firstLine(e.getOriginalMessage()) + where));
        }
    }

    static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }

    List<String> problems() {
        return problems;
    }

    void problem(String field, String message) {
        problems.add(field + ": " + message);
    }

    String string(JsonNode t, String prefix, String key, String fallback) {
        String field = prefix + key;
        JsonNode v = t.get(key);
        if (v == null) {
            if (fallback == null) {
                problem(field, "required");
            }
            return fallback;
        }
        if (!v.isString()) {
            problem(field, "expected a string");
            return fallback;
        }
        return v.stringValue();
    }

    long integer(JsonNode t, String prefix, String key, Long fallback, long min, long max) {
        String field = prefix + key;
        JsonNode v = t.get(key);
        long otherwise = fallback == null ? min : fallback;
        if (v == null) {
            if (fallback == null) {
                problem(field, "required");
            }
            return otherwise;
        }
        if (!v.isIntegralNumber()) {
            problem(field, "expected an integer");
            return otherwise;
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            problem(field, "must be between " + min + " and " + max + ", got " + v);
            return otherwise;
        }
        return v.longValue();
    }

    boolean bool(JsonNode t, String prefix, String key, boolean fallback) {
        JsonNode v = t.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(prefix + key, "expected true or false");
            return fallback;
        }
        return v.booleanValue();
    }

    InetSocketAddress address(JsonNode t, String prefix, String key, String fallback) {
        String raw = string(t, prefix, key, fallback);
        if (raw == null) {
            return null;
        }
        int colon = raw.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(raw.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(raw.substring(0, colon), port);
        } catch (NumberFormatException e) {
            problem(prefix + key, "expected host:port, got \"" + raw + "\"");
            return null;
        }
    }

    Optional<JsonNode> table(JsonNode t, String key) {
        JsonNode v = t.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problem(key, "expected a table [" + key + "]");
            return Optional.empty();
        }
        return Optional.of(v);
    }

    List<JsonNode> tables(JsonNode t, String key) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode v = t.get(key);
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem(key, "expected an array of tables [[" + key + "]]");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            if (v.get(i).isObject()) {
                out.add(v.get(i));
            } else {
                problem(key + "[" + i + "]", "expected a table");
            }
        }
        return out;
    }

    /** Reports keys this schema does not know, which are almost always typos. */
    void unknownKeys(JsonNode t, String prefix, List<String> known) {
        for (Map.Entry<String, JsonNode> e : t.properties()) {
            if (!known.contains(e.getKey())) {
                problem(prefix + e.getKey(), "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "cannot parse";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
