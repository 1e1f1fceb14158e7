package dev.cortado.devnet.cli;

import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.run.Devnet;
import dev.cortado.devnet.run.DevnetConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job: a whole local network on embedded defaults. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Run a local devnet: L1, contracts, nodes and demo traffic, until Ctrl-C or --duration.")
public final class DevnetCommand implements Callable<Integer> {

    @Option(names = "--l1", defaultValue = "anvil", description = "L1 node: anvil (default) or besu (needs a besu binary)")
    String l1;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "stop after this long (e.g. 20s, 5m); default: run until Ctrl-C")
    Duration duration;

    @Option(names = "--seconds-per-slot", defaultValue = "2", description = "devnet slot length in seconds (default 2)")
    int secondsPerSlot;

    @Option(names = "--out", defaultValue = ".devnet", description = "folder for deployment.json and node data (default .devnet)")
    Path out;

    @Option(names = "--nodes", defaultValue = "4", description = "number of validator nodes (default 4, at most 9)")
    int nodes;

    @Option(names = "--da-committee", defaultValue = "3", description = "how many nodes form the DA committee (default 3)")
    int daCommittee;

    @Override
    public Integer call() throws Exception {
        DevnetConfig defaults = DevnetConfig.defaults(L1Kind.parse(l1), secondsPerSlot, out);
        DevnetConfig config = new DevnetConfig(defaults.l1(), secondsPerSlot, out, nodes, daCommittee,
                defaults.hotShotChainId());
        PrintStream console = System.out;
        try (Devnet devnet = Devnet.start(config, console)) {
            devnet.runUntil(duration);
        }
        console.println("devnet stopped");
        return 0;
    }
}
