package dev.cortado.devnet.cli;

import dev.cortado.devnet.gas.GasReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures the contracts' gas on a fresh Anvil and writes the report. */
@Command(name = "gas", mixinStandardHelpOptions = true,
        description = "Measure L1 contract gas on a fresh Anvil; writes gas.md and gas.json (default under bench/).")
public final class GasCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "bench", description = "folder for gas.md and gas.json (default bench)")
    Path out;

    @Override
    public Integer call() throws Exception {
        GasReport.main(new String[] {out.toString()});
        return 0;
    }
}
