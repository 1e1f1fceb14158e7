package dev.cortado.devnet.settlement;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.devnet.l1.L1Devnet;
import dev.cortado.settlement.batch.BatchPoster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fixture of the blob readers' tests: one Anvil per test class (started before its first test, stopped
 * after its last), real blob batches posted to a freshly deployed inbox, and a local HTTP server for playing
 * a node that Anvil cannot be (an older beacon node, a dishonest RPC). Register it with
 * {@code @RegisterExtension static final AnvilBlobBatches anvil = new AnvilBlobBatches();}.
 */
final class AnvilBlobBatches implements BeforeAllCallback, AfterAllCallback {
    private L1Devnet l1;
    private BatchL1 batches;

    @Override
    public void beforeAll(ExtensionContext context) {
        l1 = L1Devnet.startAnvil();
        batches = new BatchL1(l1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (l1 != null) l1.close();
    }

    L1Devnet l1() {
        return l1;
    }

    BatchL1 batches() {
        return batches;
    }

    /**
     * Deploys a LightClient certifying {@code node} up to {@code certified} and an inbox, then posts heights
     * {@code 0..certified} as blob batches of at most {@code maxBlocks} heights each, with BatchL1's poster.
     */
    BatchL1.Setup postBlobBatches(BatchChainNode node, int certified, int maxBlocks, Path journal) throws Exception {
        BatchL1.Setup s = batches.deploy(node, certified);
        try (BatchPoster p = BatchPoster.connect(batches.config(s, node, maxBlocks, BatchL1.CAP, BatchPoster.Carrier.BLOBS,
                journal), batches.poster)) {
            batches.postUpTo(p, certified + 1L, s);
        }
        return s;
    }

    /** A started HTTP server on 127.0.0.1 (a free port) with one handler per path prefix; stop it when done. */
    static HttpServer localServer(Map<String, HttpHandler> routes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            routes.forEach(server::createContext);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a local HTTP server", e);
        }
    }

    /** Answers {@code ex} with {@code status} and a JSON {@code body}, and closes it. */
    static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
