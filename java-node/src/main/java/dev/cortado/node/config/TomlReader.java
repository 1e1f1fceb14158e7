package dev.cortado.node.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Reads typed fields out of a TOML table and collects every problem as a one-line message naming
 * the field (for example {@code peers[2].address: expected host:port, got "x"}), so a user sees all
 * mistakes at once instead of fixing them one run at a time.
 */
final class TomlReader {
    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    void problem(String field, String message) {
        problems.add(field + ": " + message);
    }

    String string(TomlTable t, String prefix, String key, String fallback) {
        String field = prefix + key;
        if (!t.contains(key)) {
            if (fallback == null) {
                problem(field, "required");
            }
            return fallback;
        }
        if (!t.isString(key)) {
            problem(field, "expected a string");
            return fallback;
        }
        return t.getString(key);
    }

    long integer(TomlTable t, String prefix, String key, Long fallback, long min, long max) {
        String field = prefix + key;
        if (!t.contains(key)) {
            if (fallback == null) {
                problem(field, "required");
                return min;
            }
            return fallback;
        }
        if (!t.isLong(key)) {
            problem(field, "expected an integer");
            return fallback == null ? min : fallback;
        }
        long v = t.getLong(key);
        if (v < min || v > max) {
            problem(field, "must be between " + min + " and " + max + ", got " + v);
            return fallback == null ? min : fallback;
        }
        return v;
    }

    boolean bool(TomlTable t, String prefix, String key, boolean fallback) {
        if (!t.contains(key)) {
            return fallback;
        }
        if (!t.isBoolean(key)) {
            problem(prefix + key, "expected true or false");
            return fallback;
        }
        return t.getBoolean(key);
    }

    InetSocketAddress address(TomlTable t, String prefix, String key, String fallback) {
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

    Optional<TomlTable> table(TomlTable t, String key) {
        if (!t.contains(key)) {
            return Optional.empty();
        }
        if (!t.isTable(key)) {
            problem(key, "expected a table [" + key + "]");
            return Optional.empty();
        }
        return Optional.of(t.getTable(key));
    }

    List<TomlTable> tables(TomlTable t, String key) {
        List<TomlTable> out = new ArrayList<>();
        if (!t.contains(key)) {
            return out;
        }
        if (!t.isArray(key)) {
            problem(key, "expected an array of tables [[" + key + "]]");
            return out;
        }
        TomlArray a = t.getArray(key);
        for (int i = 0; i < a.size(); i++) {
            Object o = a.get(i);
            if (o instanceof TomlTable tt) {
                out.add(tt);
            } else {
                problem(key + "[" + i + "]", "expected a table");
            }
        }
        return out;
    }

    /** Reports keys this schema does not know, which are almost always typos. */
    void unknownKeys(TomlTable t, String prefix, List<String> known) {
        for (String k : t.keySet()) {
            if (!known.contains(k)) {
                problem(prefix + k, "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }
}
