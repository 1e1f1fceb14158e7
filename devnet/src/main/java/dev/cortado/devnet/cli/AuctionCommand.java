package dev.cortado.devnet.cli;

import picocli.CommandLine.Command;

/** {@code cortado auction ...}: read-only views of the sequencing auction. */
@Command(name = "auction", mixinStandardHelpOptions = true, description = "Inspect the sequencing auction.",
        subcommands = {AuctionStatusCommand.class})
public final class AuctionCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new IllegalArgumentException("say which view: cortado auction status");
    }
}
