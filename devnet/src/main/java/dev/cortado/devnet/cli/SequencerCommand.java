package dev.cortado.devnet.cli;

import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.sequencer.FallbackRights;
import dev.cortado.devnet.sequencer.NodeFallbackReports;
import dev.cortado.devnet.sequencer.L1SequencerRights;
import dev.cortado.devnet.sequencer.Sequencer;
import dev.cortado.devnet.sequencer.SequencerService;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketplaceL1;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado sequencer}: a winner's (or default sequencer's) service. Takes user transactions over HTTP,
 * answers each with a signed pre-confirmation, seals bundles every {@code --seal-ms} and submits them to the nodes.
 * Prints {@code READY sequencer=<address> listen=<port>} once it listens.
 */
@Command(name = "sequencer", mixinStandardHelpOptions = true,
        description = "Pre-confirm user transactions and submit signed bundles for the namespaces this key holds.")
public final class SequencerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--deployment", required = true, paramLabel = "FILE", description = "deployment.json")
    Path deployment;

    @Option(names = "--key", paramLabel = "0xPRIVATEKEY", description = "the sequencer's secp256k1 key")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "file holding the sequencer's key")
    Path keyFile;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "a node API URL (repeat for fail-over)")
    List<URI> nodes;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8600", paramLabel = "HOST:PORT", description = "default 127.0.0.1:8600")
    String listen;

    @Option(names = "--seal-ms", defaultValue = "5", description = "seal and submit every N ms (default 5)")
    long sealMs;

    @Option(names = "--confirmations", defaultValue = "2", description = "L1 depth rights are read at (default 2, as the nodes)")
    int confirmations;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Deployment d;
        Secp256k1.KeyPair keyPair;
        InetSocketAddress address;
        try {
            d = Deployment.read(deployment);
            keyPair = Secp256k1.keyPair(CliKeys.credentials(key, keyFile, "give --key or --key-file (the sequencer's key)")
                    .getEcKeyPair().getPrivateKey());
            int colon = listen.lastIndexOf(':');
            address = new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
            if (sealMs < 1 || sealMs > 60_000) throw new IllegalArgumentException("--seal-ms must be 1..60000");
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("cortado sequencer: " + e.getMessage());
            return 2;
        }
        L1Connector connector = L1Connector.load();
        try (L1Client l1 = connector.connect(d.rpcUrl(), d.chainId());
                MarketplaceL1 market = connector.marketplace(d.rpcUrl(), d.marketplace().address(), d.stakeTable().address())) {
            L1SequencerRights onL1 = new L1SequencerRights(l1, market, keyPair.address(), confirmations, 1_000);
            // A default sequencer takes over a silent winner's rollups once the nodes' chain shows the fallback, and a
            // fallen winner stops pre-confirming there.
            Sequencer sequencer = new Sequencer(keyPair, d.chainId(), Address.fromHex(d.marketplace().address()), market.clock(),
                    new FallbackRights(onL1, onL1, keyPair.address(),
                            new NodeFallbackReports(nodes, 500, System::currentTimeMillis)), System::currentTimeMillis);
            CountDownLatch stop = new CountDownLatch(1);
            try (SequencerService service = SequencerService.start(sequencer, nodes, address, sealMs)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sequencer-shutdown"));
                out.println("READY sequencer=" + keyPair.address().toHex() + " listen=" + service.address().getPort());
                out.flush();
                stop.await();
                service.sealAndSend();
            }
        }
        return 0;
    }
}
