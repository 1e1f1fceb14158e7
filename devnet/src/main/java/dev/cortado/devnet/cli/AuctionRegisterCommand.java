package dev.cortado.devnet.cli;

import dev.cortado.settlement.auction.MarketplaceGateway;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado auction register}: the registrar (the marketplace's owner; on a devnet the deployer)
 * registers a rollup's namespace with its operator and terms. The rollup is sold from the first window
 * whose commit phase has not started.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a rollup in the marketplace (registrar only).")
public final class AuctionRegisterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AuctionOptions l1;

    @Option(names = "--namespace", paramLabel = "N", required = true, description = "the rollup's namespace id")
    String namespace;

    @Option(names = "--reserve", paramLabel = "WEI", defaultValue = "0", description = "reserve price per window (default 0)")
    String reserve;

    @Option(names = "--operator", paramLabel = "0xADDR", description = "who changes the terms (default: the registrar)")
    String operator;

    @Option(names = "--default-sequencer", paramLabel = "0xADDR", description = "sequencer when unsold (default: the operator)")
    String defaultSequencer;

    @Option(names = "--beneficiary", paramLabel = "0xADDR", description = "who is paid the proceeds (default: the operator)")
    String beneficiary;

    @Override
    public Integer call() {
        long ns = AuctionOptions.nonNegative("--namespace", namespace);
        BigInteger reserveWei = AuctionOptions.wei("--reserve", reserve);
        if (reserveWei.bitLength() > 96) throw new IllegalArgumentException("--reserve: must fit in 96 bits, got " + reserve);
        for (String[] a : new String[][] {{"--operator", operator}, {"--default-sequencer", defaultSequencer},
                {"--beneficiary", beneficiary}}) {
            if (a[1] != null && (!a[1].matches("0x[0-9a-fA-F]{40}") || a[1].matches("0x0{40}"))) {
                throw new IllegalArgumentException(a[0] + ": expected a non-zero address (0x + 40 hex digits), got " + a[1]);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        try (MarketplaceGateway g = l1.connect(true)) {
            String op = operator == null ? g.account() : operator;
            int index = g.registerRollup(ns, op, reserveWei, defaultSequencer == null ? op : defaultSequencer,
                    beneficiary == null ? op : beneficiary);
            out.println("namespace " + ns + " registered at index " + index + " (operator " + op + ", reserve " + reserveWei
                    + " wei)");
            out.flush();
            return 0;
        }
    }
}
