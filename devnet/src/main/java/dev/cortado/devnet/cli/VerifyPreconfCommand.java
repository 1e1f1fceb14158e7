package dev.cortado.devnet.cli;

import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.sequencer.PreconfJson;
import dev.cortado.devnet.sequencer.PreconfVerifier;
import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.MarketplaceL1;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cortado verify-preconf}: checks one signed pre-confirmation against a node's chain. Prints
 * {@code honoured: …}, {@code pending: …} or {@code broken: …} (with evidence); exit code 0, 1 or 3 (2 for bad input).
 */
@Command(name = "verify-preconf", mixinStandardHelpOptions = true,
        description = "Check a sequencer's pre-confirmation against the decided chain.")
public final class VerifyPreconfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preconf", required = true, paramLabel = "FILE", description = "the pre-confirmation JSON")
    Path preconf;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "a node API URL")
    URI node;

    @Option(names = "--deployment", required = true, paramLabel = "FILE", description = "deployment.json (slot clock, chain)")
    Path deployment;

    @Option(names = "--sequencer", paramLabel = "0xADDR", description = "the sequencer that must have signed it")
    String sequencer;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PreConfirmation.Signed signed;
        Deployment d;
        try {
            d = Deployment.read(deployment);
            signed = JsonMapper.builder().build().readValue(Files.readString(preconf), PreconfJson.class).toSigned();
            if (signed.preconf().chainId() != d.chainId()
                    || !signed.preconf().marketplace().equals(Address.fromHex(d.marketplace().address()))) {
                out.println("broken: the pre-confirmation is for chain " + signed.preconf().chainId() + " and marketplace "
                        + signed.preconf().marketplace().toHex() + ", not this deployment's");
                out.flush();
                return 3;
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("cortado verify-preconf: " + e.getMessage());
            return 2;
        }
        MarketClock clock;
        try (MarketplaceL1 market = L1Connector.load().marketplace(d.rpcUrl(), d.marketplace().address(), d.stakeTable().address())) {
            clock = market.clock();
        }
        Optional<Address> expected = sequencer == null ? Optional.empty() : Optional.of(Address.fromHex(sequencer));
        PreconfVerifier.Verdict v = new PreconfVerifier(node, clock).verify(signed, expected, System.currentTimeMillis());
        out.println(v.status().name().toLowerCase() + ": " + v.detail());
        out.flush();
        return switch (v.status()) {
            case HONOURED -> 0;
            case PENDING -> 1;
            case BROKEN -> 3;
        };
    }
}
