package dev.cortado.devnet.settlement;

import dev.cortado.settlement.batch.BatchPoster;
import dev.cortado.settlement.batch.BatchPoster.Stage;
import dev.cortado.settlement.batch.InboxL1;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * A batch poster in its own JVM, for {@link BatchPosterSigkillTest}: it posts one height per batch
 * until the inbox reaches {@code target}. When it reaches {@code killStage} for the {@code
 * occurrence}-th time it prints {@code KILLME} and stops there, so the parent SIGKILLs it at exactly
 * that point. Anvil does not automine in that test: the poster mines once it awaits its receipt.
 *
 * <p>Arguments: rpc inbox lightClient nodeUrl journal privateKey carrier killStage|NONE occurrence target
 */
public final class BatchPosterChild {
    private BatchPosterChild() {}

    public static void main(String[] a) throws Exception {
        String rpc = a[0];
        Stage killAt = a[7].equals("NONE") ? null : Stage.valueOf(a[7]);
        int occurrence = Integer.parseInt(a[8]);
        long target = Long.parseLong(a[9]);
        var config = new BatchPoster.Config(rpc, a[1], a[2], List.of(URI.create(a[3])), -1, 64 * 1024, 0, 1,
                BigInteger.valueOf(1_000_000_000_000L), Path.of(a[4]), 3, 20, 30_000, BatchPoster.Carrier.valueOf(a[6]));
        AtomicInteger seen = new AtomicInteger();
        HttpService http = new HttpService(rpc);
        try (BatchPoster p = BatchPoster.connect(config, Credentials.create(a[5]));
                InboxL1 inbox = new InboxL1(rpc, a[1], 3)) {
            p.onStage((stage, tx) -> {
                System.out.println("AT " + stage + " " + tx.firstHeight() + " " + tx.txHash());
                if (stage == killAt && seen.incrementAndGet() == occurrence) {
                    System.out.println("KILLME");
                    System.out.flush();
                    sleep(120_000);
                }
                if (stage == Stage.AWAITING_RECEIPT) mine(http);
                System.out.flush();
            });
            while (inbox.nextHeight() < target) p.step();
        }
        System.out.println("DONE");
        System.out.flush();
    }

    private static void mine(HttpService http) {
        try {
            new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
