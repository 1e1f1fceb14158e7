package dev.cortado.devnet.cli;

import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.LightClientPoster.PostResult;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cortado post-light-client}: carries certified light-client states from HotShot nodes to
 * LightClient.sol. It trusts the stake table the contract commits to and checks every answer against
 * it (signatures, non-signer proofs, the 2/3 rule) before sending anything. Options are checked in
 * {@link #call} rather than by picocli, so every bad input is one line through the CLI's error handler.
 */
@Command(name = "post-light-client", mixinStandardHelpOptions = true,
        description = "Post certified light-client states from HotShot nodes to LightClient.sol on L1.")
public final class PostLightClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "URL", description = "L1 JSON-RPC URL (http or https)")
    String rpc;

    @Option(names = "--light-client", paramLabel = "0xADDR", description = "LightClient contract address")
    String lightClient;

    @Option(names = "--node", paramLabel = "URL", description = "HotShot node API base URL; repeat for several nodes")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--key", paramLabel = "0xPRIVATEKEY", description = "the posting account's private key")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "file holding the posting account's private key")
    Path keyFile;

    @Option(names = "--once", description = "post the latest state once, then exit")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
            description = "time between polls when not --once (default 2s; e.g. 500ms, 10s)")
    String interval;

    @Option(names = "--max-rpc-attempts", defaultValue = "4", description = "attempts per L1 request (default 4)")
    int maxRpcAttempts;

    @Option(names = "--epoch-blocks", paramLabel = "N",
            description = "blocks per stake-table epoch of the network (chain.epoch_blocks); with it the poster "
                    + "posts each rotation before later states")
    Long epochBlocks;

    @Option(names = "--snapshot-lead", paramLabel = "N", defaultValue = "1",
            description = "blocks before an epoch's end at which its next table is fixed (chain.snapshot_lead_blocks)")
    long snapshotLead;

    @Override
    public Integer call() {
        String rpcUrl = httpUrl("--rpc", rpc).toString();
        String address = address(lightClient);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("give at least one --node URL (a HotShot node's API, e.g. http://127.0.0.1:9000)");
        }
        List<URI> nodeUris = nodes.stream().map(n -> httpUrl("--node", n)).toList();
        Credentials credentials = credentials();
        Duration pollInterval = duration(interval);
        if (maxRpcAttempts < 1) throw new IllegalArgumentException("--max-rpc-attempts must be at least 1, got " + maxRpcAttempts);

        LightClientPoster.Config config = new LightClientPoster.Config(rpcUrl, address, nodeUris, new StakeTableTrust.OnL1(),
                maxRpcAttempts, 250, 100, 120_000);
        if (epochBlocks != null) {
            config = config.withEpochs(new dev.cortado.protocol.epoch.EpochSchedule(epochBlocks, snapshotLead));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LightClientPoster poster = LightClientPoster.connect(config, credentials)) {
            if (once) {
                switch (poster.postLatest()) {
                    case PostResult.Posted p -> out.println("posted height " + p.height() + " (view " + p.view() + ") in "
                            + p.txHash() + " at L1 block " + p.l1Block() + ", " + p.gasUsed() + " gas");
                    case PostResult.Skipped s -> out.println("skipped height " + s.height()
                            + ": LightClient is already at height " + s.contractHeight());
                }
                out.flush();
                return 0;
            }
            out.println("posting from " + poster.address() + " to " + address + " every " + pollInterval.toMillis()
                    + " ms; Ctrl-C stops");
            out.flush();
            LightClientPoster.RunSummary summary = poster.run(pollInterval.toMillis(), () -> Thread.currentThread().isInterrupted());
            out.println("stopped: " + summary.posted() + " posted, " + summary.skipped() + " skipped, " + summary.failed()
                    + " failed");
            out.flush();
            return 0;
        }
    }

    private Credentials credentials() {
        return CliKeys.credentials(key, keyFile, "give the posting account's key with --key 0x... or --key-file FILE");
    }

    /** An http(s) URL with a host, or a one-line error naming {@code option}. */
    static URI httpUrl(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing " + option + " URL");
        }
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an http(s) URL such as http://127.0.0.1:8545, got '"
                        + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a URL: '" + text + "'", e);
        }
    }

    private static String address(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing --light-client address (0x followed by 40 hex digits)");
        }
        if (!text.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("--light-client must be 0x followed by 40 hex digits, got '" + text + "'");
        }
        return text;
    }

    private static Duration duration(String text) {
        try {
            return new DurationConverter().convert(text);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException("--interval: " + e.getMessage(), e);
        }
    }
}
