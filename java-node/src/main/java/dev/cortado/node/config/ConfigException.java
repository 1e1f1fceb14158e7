package dev.cortado.node.config;

import java.util.List;

/** A configuration file was rejected; {@link #problems()} holds one line per bad field. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
