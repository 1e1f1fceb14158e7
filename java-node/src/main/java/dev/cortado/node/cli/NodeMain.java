package dev.cortado.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Process entry point for the node module alone ({@code node}, {@code broker}, {@code keys}); the
 * full {@code cortado} CLI in the devnet module registers the same commands.
 */
@Command(name = "cortado-node", mixinStandardHelpOptions = true,
    subcommands = {NodeCommand.class, BrokerCommand.class, KeysCommand.class})
public final class NodeMain {
  public static void main(String[] args) {
    int code = new CommandLine(new NodeMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
