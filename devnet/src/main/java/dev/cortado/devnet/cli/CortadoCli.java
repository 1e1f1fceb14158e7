package dev.cortado.devnet.cli;

import dev.cortado.node.cli.BrokerCommand;
import dev.cortado.node.cli.KeysCommand;
import dev.cortado.node.cli.NodeCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cortado} command line; the {@code ./cortado} launcher runs it. */
@Command(
        name = "cortado",
        mixinStandardHelpOptions = true,
        version = "cortado 0.1.0",
        description = "Cortado: a shared-sequencing network for Ethereum rollups.",
        subcommands = {
            DevnetCommand.class,
            NodeCommand.class,
            KeysCommand.class,
            BrokerCommand.class,
            PostLightClientCommand.class,
            WithdrawStakeCommand.class,
            GasCommand.class,
            BidCommand.class,
            AuctionCommand.class,
            ResolveCommand.class,
            PostBatchesCommand.class, BatchesCommand.class,
            SequencerCommand.class,
            VerifyPreconfCommand.class,
            StatusCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CortadoCli {
    private CortadoCli() {}

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests run commands through it. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new CortadoCli());
        cli.setExecutionExceptionHandler(CortadoCli::oneLineError);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Users see one clear line; {@code CORTADO_DEBUG=1} shows the stack trace too. */
    private static int oneLineError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("cortado " + cli.getCommandName() + ": " + message.lines().findFirst().orElse(message));
        if (System.getenv("CORTADO_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }
}
