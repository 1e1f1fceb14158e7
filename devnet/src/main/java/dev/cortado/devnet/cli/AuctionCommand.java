package dev.cortado.devnet.cli;

import picocli.CommandLine.Command;

/** {@code cortado auction ...}: views of the sequencing auction, and the registrar's registration. */
@Command(name = "auction", mixinStandardHelpOptions = true, description = "Inspect the sequencing auction; register rollups.",
        subcommands = {AuctionStatusCommand.class, AuctionRegisterCommand.class})
public final class AuctionCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new IllegalArgumentException("say which: cortado auction status | register");
    }
}
