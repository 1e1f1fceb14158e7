package dev.cortado.devnet.settlement;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A HotShot chain with real headers, payloads in namespaces 10 and 20 (some heights empty, some with
 * one namespace), its commitment log and certificates, served over real HTTP the way a node's API
 * serves blocks, namespaces and light-client states. {@link #lie} makes it flip a byte of every namespace transaction it
 * serves, as a dishonest node would.
 */
final class BatchChainNode implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final long chainId;
    final List<BlockHeader> headers = new ArrayList<>();
    final List<BlockPayload> payloads = new ArrayList<>();
    final BlockCommitmentLog log = new BlockCommitmentLog();
    final AtomicBoolean lie = new AtomicBoolean();
    private final StakeTable table;
    private final List<BlsKeyPair> keys;
    private final HttpServer server;

    BatchChainNode(long chainId, List<BlsKeyPair> keys, StakeTable table, int blocks, long seed) throws IOException {
        this.chainId = chainId;
        this.keys = keys;
        this.table = table;
        Random rnd = new Random(seed);
        Bytes32 parent = Bytes32.ZERO;
        for (int h = 0; h < blocks; h++) {
            List<Transaction> txs = new ArrayList<>();
            if (h > 0 && h % 4 != 3) {
                for (long ns : h % 3 == 0 ? new long[] {10} : new long[] {10, 20}) {
                    for (int t = 0; t < 1 + rnd.nextInt(3); t++) {
                        byte[] tx = new byte[40 + rnd.nextInt(120)];
                        rnd.nextBytes(tx);
                        txs.add(new Transaction(NamespaceId.of(ns), tx));
                    }
                }
            }
            BlockPayload p = BlockPayload.build(txs);
            BlockHeader header = new BlockHeader(Height.of(h), View.of(2L * h + 1), parent, 1_700_000_000_000L + h * 1000L,
                    7 + h, p.payloadRoot(), Keccak.hash(("vid" + h).getBytes(StandardCharsets.UTF_8)), p.nsTableComm(),
                    p.byteLength(), log.blockCommRoot());
            log.append(header, chainId);
            parent = header.commitment(chainId);
            headers.add(header);
            payloads.add(p);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v0/block/", this::serve);
        server.createContext("/v0/light-client/", this::serveLightClient);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The namespace's transactions at height {@code h}, as the chain holds them. */
    List<byte[]> transactions(int h, long ns) {
        return payloads.get(h).namespaceProof(NamespaceId.of(ns)).transactions().stream().map(Transaction::payload).toList();
    }

    /** The certified light-client answer of height {@code h}, signed by every member. */
    LightClientAnswer answer(int h) {
        BlockHeader header = headers.get(h);
        LightClientState state = new LightClientState(header.view(), header.height(), log.blockCommRoot(h + 1L),
                table.commitment());
        var cert = CertFixtures.sign(keys, ThresholdKind.QUORUM, state.digest(chainId), SignerBitmap.full(table.size()));
        return LightClientAnswer.of(new LightClientCertificate(state, cert), chainId, table, header, log.proof(h, h + 1L));
    }

    /** {@code /v0/light-client/latest} and {@code /v0/light-client/{h}}: the chain's newest (or that) certified state. */
    private void serveLightClient(HttpExchange exchange) throws IOException {
        try (exchange) {
            String last = exchange.getRequestURI().getPath().substring("/v0/light-client/".length());
            int h = last.equals("latest") ? headers.size() - 1 : Integer.parseInt(last);
            byte[] body = JSON.writeValueAsBytes(answer(h));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().substring("/v0/block/".length()).split("/");
            int h = Integer.parseInt(parts[0]);
            Object answer;
            if (parts.length == 1) {
                String q = exchange.getRequestURI().getQuery();
                int certified = Integer.parseInt(q.substring(q.indexOf('=') + 1));
                answer = BlockAnswer.of(headers.get(h), chainId, (long) certified, log.proof(h, certified + 1L));
            } else {
                NamespaceProof p = payloads.get(h).namespaceProof(NamespaceId.of(Long.parseLong(parts[2])));
                if (lie.get() && !p.transactions().isEmpty()) {
                    List<Transaction> forged = p.transactions().stream().map(t -> {
                        byte[] b = t.payload();
                        b[0] ^= 1;
                        return new Transaction(t.namespace(), b);
                    }).toList();
                    p = new NamespaceProof(p.namespace(), p.nsTable(), forged, p.nsPath());
                }
                answer = NamespaceAnswer.of(h, p);
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
