package dev.cortado.devnet.cli;

import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BlockWitness;
import dev.cortado.settlement.l1.AccountSender;
import dev.cortado.settlement.lightclient.LightClientPoster;
import dev.cortado.settlement.lightclient.StakeTableTrust;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
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
 * {@code cortado post-batches}: follows decided blocks over the nodes' HTTP API, proves them against
 * LightClient.sol's certified roots and posts contiguous height ranges to BatchInbox as calldata or blobs.
 * With {@code --post-light-client} it also carries the light-client states those roots come from, from
 * the same account: one process, one {@link AccountSender}, no nonce clash.
 */
@Command(name = "post-batches", mixinStandardHelpOptions = true,
        description = "Post compressed, proven batches of HotShot blocks to BatchInbox on L1 (calldata or blobs).")
public final class PostBatchesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "URL", description = "L1 JSON-RPC URL")
    String rpc;

    @Option(names = "--inbox", paramLabel = "0xADDR", description = "BatchInbox address")
    String inbox;

    @Option(names = "--light-client", paramLabel = "0xADDR", description = "LightClient address (the roots batches prove against)")
    String lightClient;

    @Option(names = "--node", paramLabel = "URL", description = "HotShot node API base URL; repeat for several nodes")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "N", description = "post only this namespace (default: every namespace)")
    Long namespace;

    @Option(names = "--key", paramLabel = "0xPRIVATEKEY", description = "the posting account's private key")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "file holding the posting account's private key")
    Path keyFile;

    @Option(names = "--journal", paramLabel = "FILE", defaultValue = "batch-poster.journal",
            description = "the in-flight transaction journal (default batch-poster.journal)")
    Path journal;

    @Option(names = "--target-bytes", defaultValue = "120000", description = "close a batch at this frame size (default 120000)")
    int targetBytes;

    @Option(names = "--max-age", defaultValue = "10s", description = "close a batch when its first block is this old (default 10s)")
    String maxAge;

    @Option(names = "--max-blocks", defaultValue = "512", description = "at most this many heights per batch (default 512)")
    int maxBlocks;

    @Option(names = "--max-fee-gwei", defaultValue = "200", description = "never offer more per gas (default 200 gwei)")
    long maxFeeGwei;

    @Option(names = "--interval", defaultValue = "1s", description = "time between steps (default 1s)")
    String interval;

    @Option(names = "--carrier", defaultValue = "cheapest",
            description = "calldata, blobs, or cheapest (per batch, from the base fee and blob base fee; default)")
    BatchPoster.Carrier carrier;

    @Option(names = "--target-blobs", defaultValue = "1",
            description = "close a batch once its frame would not fit this many blobs (default 1; 0 closes on"
                    + " --target-bytes; above 1 needs --carrier blobs); calldata batches keep --target-bytes")
    int targetBlobs;

    @Option(names = "--post-light-client",
            description = "also post certified light-client states to --light-client from the same account, in this"
                    + " process (not with --once): both posters take their nonces under one lock, so they never clash")
    boolean postLightClient;

    @Option(names = "--light-client-interval", defaultValue = "2s",
            description = "time between light-client polls with --post-light-client (default 2s)")
    String lightClientInterval;

    @Option(names = "--once", description = "one step, then exit")
    boolean once;

    @Override
    public Integer call() {
        String rpcUrl = BatchCliInputs.httpUrl("--rpc", rpc).toString();
        String inboxAddress = BatchCliInputs.address("--inbox", inbox);
        String lc = BatchCliInputs.address("--light-client", lightClient);
        if (nodes.isEmpty()) throw new IllegalArgumentException("give at least one --node URL (a HotShot node's API)");
        List<URI> uris = nodes.stream().map(n -> BatchCliInputs.httpUrl("--node", n)).toList();
        if (namespace != null && namespace < 0) throw new IllegalArgumentException("--namespace must be >= 0, got " + namespace);
        if (maxFeeGwei < 1) throw new IllegalArgumentException("--max-fee-gwei must be at least 1, got " + maxFeeGwei);
        // A rollup posting its own namespace as calldata (--namespace N --carrier calldata) closes on --target-bytes;
        // a blob count it asked for would be dropped without a word, so it is refused instead.
        if (carrier == BatchPoster.Carrier.CALLDATA && targetBlobs != 0
                && spec.commandLine().getParseResult().hasMatchedOption("--target-blobs")) {
            throw new IllegalArgumentException("--target-blobs " + targetBlobs + " sizes blob batches; with --carrier calldata"
                    + " a batch closes at --target-bytes (leave --target-blobs out or give 0)");
        }
        var credentials = CliKeys.credentials(key, keyFile, "give the posting account's key with --key 0x... or --key-file FILE");
        BatchPoster.Config config = new BatchPoster.Config(rpcUrl, inboxAddress, lc, uris,
                namespace == null ? BlockWitness.ALL_NAMESPACES : namespace, targetBytes, millis("--max-age", maxAge), maxBlocks,
                BigInteger.valueOf(maxFeeGwei).multiply(BigInteger.TEN.pow(9)), journal, 4, 100, 120_000, carrier)
                .withTargetBlobs(carrier == BatchPoster.Carrier.CALLDATA ? 0 : targetBlobs);
        long lightClientPollMs = millis("--light-client-interval", lightClientInterval);
        PrintWriter out = spec.commandLine().getOut();
        // One sender for the key: the light-client poster, when it runs here too, waits its turn for a nonce.
        AccountSender sender = AccountSender.of(credentials.getAddress());
        try (BatchPoster poster = BatchPoster.connect(config, credentials, sender);
                SideLightClient side = postLightClient && !once
                        ? SideLightClient.start(rpcUrl, lc, uris, credentials, sender, lightClientPollMs) : null) {
            if (once) {
                out.println(poster.step());
                out.flush();
                return 0;
            }
            out.println("posting batches to " + inboxAddress + " every " + interval
                    + (side != null ? " and light-client states to " + lc + " every " + lightClientInterval : "")
                    + " from " + credentials.getAddress() + "; Ctrl-C stops");
            out.flush();
            int posted = poster.run(millis("--interval", interval), () -> Thread.currentThread().isInterrupted());
            out.println("stopped: " + posted + " batches posted");
            out.flush();
            return 0;
        }
    }

    /** The light-client poster on its own thread, sharing the batch poster's account through one sender. */
    private record SideLightClient(LightClientPoster poster, Thread thread) implements AutoCloseable {
        static SideLightClient start(String rpcUrl, String lightClient, List<URI> nodes, Credentials key, AccountSender sender,
                long pollMs) {
            LightClientPoster p = LightClientPoster.connect(LightClientPoster.Config.of(rpcUrl, lightClient, nodes,
                    new StakeTableTrust.OnL1()), key, sender);
            Thread t = Thread.ofPlatform().name("light-client-poster").daemon().start(() ->
                    p.run(pollMs, () -> Thread.currentThread().isInterrupted()));
            return new SideLightClient(p, t);
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poster.close();
        }
    }

    private static long millis(String option, String text) {
        try {
            return new DurationConverter().convert(text).toMillis();
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
