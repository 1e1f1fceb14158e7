package dev.cortado.settlement.lightclient;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A decoded revert: the custom error's name and its arguments, e.g.
 * {@code LightClient__StaleState(latestView=3, latestHeight=5, viewNumber=3, height=5)}. Revert data
 * that matches no known error keeps {@code name} "unknown" and its raw bytes.
 *
 * @param name the Solidity error name ({@code Error} and {@code Panic} for the built-in ones)
 * @param arguments the named, decoded arguments in declaration order
 * @param rawData the revert data as {@code 0x} hex
 */
public record ContractRevert(String name, List<Argument> arguments, String rawData) {
    public record Argument(String name, String value) {
    }

    public ContractRevert {
        arguments = List.copyOf(arguments);
    }

    @Override
    public String toString() {
        if (name.equals("unknown")) {
            return "unknown revert " + (rawData.isEmpty() || rawData.equals("0x") ? "(no data)" : rawData);
        }
        return name + arguments.stream().map(a -> a.name() + "=" + a.value()).collect(Collectors.joining(", ", "(", ")"));
    }
}
