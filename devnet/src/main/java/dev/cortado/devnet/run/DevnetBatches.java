package dev.cortado.devnet.run;

import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BlockWitness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;

/**
 * One of the devnet's batch posters, each into its own BatchInbox (an inbox holds one height stream):
 * <ul>
 *   <li>{@link #network}: every namespace, the cheaper of calldata and blobs per batch (blobs, at Anvil's
 *   1-wei blob base fee), closed once its frame would not fit one blob (126,972 bytes, which a calldata
 *   transaction still carries), on the deployer account shared with the light-client poster through the
 *   account's process-wide {@code AccountSender}, so the two never race for a nonce;</li>
 *   <li>{@link #rollup}: one rollup's own poster for its own namespace, on its own key, always as calldata
 *   (a rollup that wants its data in L1 history for good rather than in blobs, which nodes prune after
 *   about 18 days), closed at 120,000 frame bytes.</li>
 * </ul>
 * Both close at {@code maxAgeMs} of age ({@code --batch-max-age}) and take at most 4096 heights. Every
 * posted batch is appended to {@code batches.tsv} next to the journal, with its scope and blob occupancy.
 */
final class DevnetBatches implements AutoCloseable {
    static final String LOG = "batches.tsv";
    static final String LOG_HEADER = "scope\tfirst\tlast\tcarrier\tframeBytes\tblobs\toccupancy\ttxHash\n";
    /** The calldata poster's frame target: a little under the 128 KiB a node relays in one transaction. */
    static final int CALLDATA_TARGET_BYTES = 120_000;

    private final BatchPoster poster;
    private final long scope;
    private final Path log;
    private long postedThrough = -1;
    private String lastProblem = "";

    private DevnetBatches(BatchPoster.Config config, Credentials who) {
        this.poster = BatchPoster.connect(config, who);
        this.scope = config.scopeNamespace();
        this.log = config.journalFile().resolveSibling(LOG);
    }

    /** The network's poster: every namespace, carrier {@code cheapest}, one blob per batch at most. */
    static DevnetBatches network(String rpcUrl, String inbox, String lightClient, List<URI> nodes, Path journal, long slotMs,
            long maxAgeMs, Credentials who) {
        return new DevnetBatches(config(rpcUrl, inbox, lightClient, nodes, BlockWitness.ALL_NAMESPACES, journal, slotMs,
                maxAgeMs, BatchPoster.Carrier.CHEAPEST).withTargetBlobs(1), who);
    }

    /** {@code namespace}'s own poster into its own inbox: carrier {@code calldata}, from the rollup's key. */
    static DevnetBatches rollup(String rpcUrl, String inbox, String lightClient, List<URI> nodes, long namespace,
            Path journal, long slotMs, long maxAgeMs, Credentials who) {
        if (namespace < 0) throw new IllegalArgumentException("a rollup poster needs a namespace >= 0, got " + namespace);
        return new DevnetBatches(config(rpcUrl, inbox, lightClient, nodes, namespace, journal, slotMs, maxAgeMs,
                BatchPoster.Carrier.CALLDATA), who);
    }

    private static BatchPoster.Config config(String rpcUrl, String inbox, String lightClient, List<URI> nodes, long scope,
            Path journal, long slotMs, long maxAgeMs, BatchPoster.Carrier carrier) {
        // 4096 heights: at the demo's ~14 blocks/s a blob fills in about 600, so the size rule, not the cap, closes.
        return new BatchPoster.Config(rpcUrl, inbox, lightClient, nodes, scope, CALLDATA_TARGET_BYTES, maxAgeMs, 4096,
                BigInteger.valueOf(1_000).multiply(BigInteger.TEN.pow(9)), journal, 4, 100, Math.max(30_000, 10 * slotMs),
                carrier);
    }

    /** One poster step: the batch it got into its inbox, or null. Failures are kept for the status line. */
    BatchPoster.Outcome.Posted step() {
        BatchPoster.Outcome outcome;
        try {
            outcome = poster.step();
            lastProblem = "";
        } catch (RuntimeException e) {
            lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return null;
        }
        if (!(outcome instanceof BatchPoster.Outcome.Posted p)) return null;
        postedThrough = p.lastHeight();
        try {
            record(p);
        } catch (UncheckedIOException e) {
            // The batch is on L1 whatever the log says; the status line names the file that could not be written.
            lastProblem = e.getMessage();
        }
        return p;
    }

    /** The last height this poster got into its inbox (-1 while none). */
    long postedThrough() {
        return postedThrough;
    }

    /** {@link BlockWitness#ALL_NAMESPACES} for the network's poster, else the rollup's namespace. */
    long scope() {
        return scope;
    }

    /** How the status line and {@code batches.tsv} name this poster: "all" or the namespace. */
    String scopeName() {
        return scope == BlockWitness.ALL_NAMESPACES ? "all" : Long.toString(scope);
    }

    private void record(BatchPoster.Outcome.Posted p) {
        String carrier = p.price() == null ? "resent" : p.price().mode().name().toLowerCase(Locale.ROOT);
        String line = scopeName() + "\t" + p.firstHeight() + "\t" + p.lastHeight() + "\t" + carrier + "\t" + p.frameBytes()
                + "\t" + (p.inBlobs() ? p.price().blobs() : 0) + "\t" + String.format(Locale.ROOT, "%.4f", p.blobOccupancy())
                + "\t" + p.txHash() + "\n";
        try {
            if (!Files.exists(log)) Files.writeString(log, LOG_HEADER, StandardCharsets.US_ASCII);
            Files.writeString(log, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() {
        poster.close();
    }
}
