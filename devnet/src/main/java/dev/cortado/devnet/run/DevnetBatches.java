package dev.cortado.devnet.run;

import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BlockWitness;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * The devnet's batch poster: every namespace, the cheaper of calldata and blobs per batch, a batch
 * closed at 120 kB or two slots of age. It shares the deployer account with the light-client poster;
 * both run on the devnet's one status thread, one after the other, so their nonces never race.
 */
final class DevnetBatches implements AutoCloseable {
    private final BatchPoster poster;
    private long postedThrough = -1;
    private String lastProblem = "";
    private volatile BatchPoster.Outcome.Posted lastPosted;

    DevnetBatches(String rpcUrl, String inbox, String lightClient, List<URI> nodes, Path journal, long slotMs,
            Credentials who) {
        BatchPoster.Config config = new BatchPoster.Config(rpcUrl, inbox, lightClient, nodes, BlockWitness.ALL_NAMESPACES,
                120_000, 2 * slotMs, 512, BigInteger.valueOf(1_000).multiply(BigInteger.TEN.pow(9)), journal, 4, 100,
                Math.max(30_000, 10 * slotMs), BatchPoster.Carrier.CHEAPEST);
        this.poster = BatchPoster.connect(config, who);
    }

    /** One poster step; the last height on L1 afterwards (-1 while none). Failures are kept for the status line. */
    long step() {
        try {
            if (poster.step() instanceof BatchPoster.Outcome.Posted p) {
                postedThrough = p.lastHeight();
                lastPosted = p;
            }
            lastProblem = "";
        } catch (RuntimeException e) {
            lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return postedThrough;
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
