package dev.cortado.lightclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.ConfirmationJson;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.types.Bytes32;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP node on 127.0.0.1 serving the light-client API from a real {@link TestChain}, honestly or
 * with one configured lie. The answers are built with the same factories the real node uses.
 */
final class LyingNode implements AutoCloseable {
    enum Lie {
        NONE,
        /** The namespace answer leaves out one transaction. */
        DROP_TRANSACTION,
        /** The answer for namespace A carries namespace B's bytes and path. */
        SWAP_NAMESPACE_BYTES,
        /** One transaction's bytes are altered in place. */
        ALTER_TRANSACTION_BYTES,
        /** From height 3 on, headers and namespaces come from a fork, with the fork's own proofs. */
        FORK_HEADERS,
        /** The light-client certificate is signed by validators 0 and 3 only (5 of 10 stake units). */
        LOW_STAKE_CERTIFICATE,
        /** The light-client state is the fork's, under the honest chain's signature. */
        FORGED_STATE,
        /** Block answers prove against the state one below the one asked for (honest, but other height). */
        PROVE_AGAINST_OLDER_STATE,
        /** Transaction answers claim a view one above their header's. */
        CLAIM_WRONG_VIEW,
        /** Every answer is not JSON. */
        GARBAGE
    }

    private static final Pattern LC = Pattern.compile("/v0/light-client/(latest|\\d+)");
    private static final Pattern BLOCK = Pattern.compile("/v0/block/(\\d+)");
    private static final Pattern NAMESPACE = Pattern.compile("/v0/block/(\\d+)/namespace/(\\d+)");
    private static final Pattern TX = Pattern.compile("/v0/tx/(0x[0-9a-f]{64})");

    private final TestChain chain;
    private final TestChain fork;
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile Lie lie;
    /** Transactions at or below this height are answered as L1-final (-1: none). */
    volatile long l1FinalThrough = -1;
    /** Undecided transactions this node answers as pre-confirmed, by hash. */
    final Map<Bytes32, TransactionAnswer> pooled = new java.util.concurrent.ConcurrentHashMap<>();

    LyingNode(TestChain chain, TestChain fork, Lie lie) throws IOException {
        this.chain = chain;
        this.fork = fork;
        this.lie = lie;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v0/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void lie(Lie lie) {
        this.lie = lie;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (lie == Lie.GARBAGE) {
                send(ex, 200, "{not json".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            Object answer = route(path, query(ex.getRequestURI().getQuery()));
            if (answer == null) {
                send(ex, 404, json.writeValueAsBytes(Map.of("error", "not_found", "detail", path)));
            } else {
                send(ex, 200, json.writeValueAsBytes(answer));
            }
        }
    }

    private Object route(String path, Map<String, String> query) {
        Matcher m;
        int latest = chain.latestHeight();
        if ((m = LC.matcher(path)).matches()) {
            int h = m.group(1).equals("latest") ? latest : Integer.parseInt(m.group(1));
            return h <= latest ? lightClient(h) : null;
        }
        if ((m = NAMESPACE.matcher(path)).matches()) {
            int h = Integer.parseInt(m.group(1));
            return h <= latest ? namespace(h, NamespaceId.of(Long.parseLong(m.group(2)))) : null;
        }
        if ((m = BLOCK.matcher(path)).matches()) {
            int h = Integer.parseInt(m.group(1));
            int certified = Integer.parseInt(query.getOrDefault("certifiedHeight", Integer.toString(latest)));
            if (h > latest || certified > latest || certified < h) {
                return null;
            }
            return block(h, certified);
        }
        if ((m = TX.matcher(path)).matches()) {
            Bytes32 hash = Bytes32.fromHex(m.group(1));
            for (int h = 0; h <= latest; h++) {
                var loc = chain.payloads.get(h).locate(hash);
                if (loc.isPresent()) {
                    long view = chain.headers.get(h).view().value();
                    TransactionAnswer a = TransactionAnswer.of(h, view, chain.payloads.get(h).transactionProof(loc.get().namespace(),
                            loc.get().index()));
                    if (h <= l1FinalThrough) {
                        a = a.withConfirmation(ConfirmationJson.l1Final(h, view, new ConfirmationJson.L1FinalJson(99,
                                l1FinalThrough, 40, chain.log.blockCommRoot(l1FinalThrough + 1).toHex())));
                    }
                    return lie == Lie.CLAIM_WRONG_VIEW ? a.withConfirmation(ConfirmationJson.hotShotFinal(h, view + 1)) : a;
                }
            }
            return pooled.get(hash);
        }
        return null;
    }

    private TestChain source(int h) {
        return lie == Lie.FORK_HEADERS && h >= 3 ? fork : chain;
    }

    private LightClientAnswer lightClient(int h) {
        LightClientCertificate lc = chain.certificates.get(h);
        if (lie == Lie.LOW_STAKE_CERTIFICATE) {
            lc = new LightClientCertificate(lc.state(), TestChain.signWithoutThreshold(lc.state(), 0, 3));
        } else if (lie == Lie.FORGED_STATE) {
            lc = new LightClientCertificate(fork.certificates.get(h).state(), lc.cert());
            return LightClientAnswer.of(lc, TestChain.CHAIN_ID, TestChain.TABLE, fork.headers.get(h), fork.log.proof(h, h + 1L));
        }
        return LightClientAnswer.of(lc, TestChain.CHAIN_ID, TestChain.TABLE, chain.headers.get(h), chain.log.proof(h, h + 1L));
    }

    private BlockAnswer block(int h, int certified) {
        if (lie == Lie.PROVE_AGAINST_OLDER_STATE && certified - 1 >= h) {
            certified = certified - 1;
        }
        TestChain src = source(h);
        return BlockAnswer.of(src.headers.get(h), TestChain.CHAIN_ID, (long) certified, src.log.proof(h, certified + 1L));
    }

    private NamespaceAnswer namespace(int h, NamespaceId ns) {
        BlockPayload p = source(h).payloads.get(h);
        NamespaceProof honest = p.namespaceProof(ns);
        return switch (lie) {
            case DROP_TRANSACTION -> {
                List<Transaction> txs = new ArrayList<>(honest.transactions());
                if (!txs.isEmpty()) {
                    txs.removeLast();
                }
                yield NamespaceAnswer.of(h, new NamespaceProof(ns, honest.nsTable(), txs, honest.nsPath()));
            }
            case SWAP_NAMESPACE_BYTES -> {
                NamespaceId other = ns.equals(TestChain.NS_A) ? TestChain.NS_B : TestChain.NS_A;
                NamespaceProof theirs = p.namespaceProof(other);
                List<Transaction> relabelled = theirs.transactions().stream().map(t -> new Transaction(ns, t.payload())).toList();
                NamespaceAnswer a = NamespaceAnswer.of(h, new NamespaceProof(ns, theirs.nsTable(), relabelled, theirs.nsPath()));
                yield theirs.nsPath() == null ? NamespaceAnswer.of(h, honest) : a;
            }
            case ALTER_TRANSACTION_BYTES -> {
                List<Transaction> txs = new ArrayList<>(honest.transactions());
                if (!txs.isEmpty()) {
                    byte[] b = txs.getFirst().payload();
                    b[0] ^= 0x20;
                    txs.set(0, new Transaction(ns, b));
                }
                yield NamespaceAnswer.of(h, new NamespaceProof(ns, honest.nsTable(), txs, honest.nsPath()));
            }
            case NONE, FORK_HEADERS, LOW_STAKE_CERTIFICATE, FORGED_STATE, PROVE_AGAINST_OLDER_STATE, CLAIM_WRONG_VIEW, GARBAGE ->
                    NamespaceAnswer.of(h, honest);
        };
    }

    private static Map<String, String> query(String q) {
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        java.util.HashMap<String, String> out = new java.util.HashMap<>();
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
