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
 * The devnet's batch poster: every namespace, the cheaper of calldata and blobs per batch, a batch
 * closed once its frame would not fit one blob (126,972 bytes, which a calldata transaction still
 * carries) or at {@code maxAgeMs} of age ({@code --batch-max-age}), at most 4096 heights. It shares the deployer account with the light-client poster through
 * the account's process-wide {@code AccountSender}, so the two never race for a nonce, on one thread or
 * two. Every posted batch is appended to {@code batches.tsv} next to the journal, with its blob
 * occupancy.
 */
final class DevnetBatches implements AutoCloseable {
    static final String LOG_HEADER = "first\tlast\tcarrier\tframeBytes\tblobs\toccupancy\ttxHash\n";

    private final BatchPoster poster;
    private final Path log;
    private long postedThrough = -1;
    private String lastProblem = "";
    private volatile BatchPoster.Outcome.Posted lastPosted;

    DevnetBatches(String rpcUrl, String inbox, String lightClient, List<URI> nodes, Path journal, long slotMs,
            long maxAgeMs, Credentials who) {
        // 4096 heights: at the demo's ~14 blocks/s a blob fills in about 600, so the size rule, not the cap, closes.
        BatchPoster.Config config = new BatchPoster.Config(rpcUrl, inbox, lightClient, nodes, BlockWitness.ALL_NAMESPACES,
                120_000, maxAgeMs, 4096, BigInteger.valueOf(1_000).multiply(BigInteger.TEN.pow(9)), journal, 4, 100,
                Math.max(30_000, 10 * slotMs), BatchPoster.Carrier.CHEAPEST).withTargetBlobs(1);
        this.poster = BatchPoster.connect(config, who);
        this.log = journal.resolveSibling("batches.tsv");
    }

    /** One poster step; the last height on L1 afterwards (-1 while none). Failures are kept for the status line. */
    long step() {
        try {
            if (poster.step() instanceof BatchPoster.Outcome.Posted p) {
                postedThrough = p.lastHeight();
                lastPosted = p;
                record(p);
            }
            lastProblem = "";
        } catch (RuntimeException e) {
            lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return postedThrough;
    }

    private void record(BatchPoster.Outcome.Posted p) {
        String carrier = p.price() == null ? "resent" : p.price().mode().name().toLowerCase(Locale.ROOT);
        String line = p.firstHeight() + "\t" + p.lastHeight() + "\t" + carrier + "\t" + p.frameBytes() + "\t"
                + (p.inBlobs() ? p.price().blobs() : 0) + "\t" + String.format(Locale.ROOT, "%.4f", p.blobOccupancy())
                + "\t" + p.txHash() + "\n";
        try {
            if (!Files.exists(log)) Files.writeString(log, LOG_HEADER, StandardCharsets.US_ASCII);
            Files.writeString(log, line, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    /** The last batch this poster got recorded, or null. */
    BatchPoster.Outcome.Posted lastPosted() {
        return lastPosted;
    }

    String lastProblem() {
        return lastProblem;
    }

    @Override
    public void close() {
        poster.close();
    }
}
