package dev.cortado.lightclient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.cert.LightClientCertificate;
import dev.cortado.protocol.cert.LightClientState;
import dev.cortado.protocol.stake.StakeTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/** An HTTP node on 127.0.0.1 serving an {@link EpochTestChain}, honestly or with one handover lie. */
final class EpochNode implements AutoCloseable {
    enum Lie {
        NONE,
        /** Epoch 1's handover is signed by the incoming table instead of the outgoing one. */
        SIGNED_BY_INCOMING,
        /** Epoch 1 is served with epoch 2's table under the genuine handover. */
        WRONG_NEXT_TABLE,
        /** Epoch 1 is served without its handover. */
        OMITTED_HANDOVER,
        /** Epoch 1's handover certificate is signed by two of the four outgoing validators only. */
        MINORITY_HANDOVER
    }

    private static final Pattern LC = Pattern.compile("/v0/light-client/(latest|\\d+)");
    private static final Pattern EPOCH = Pattern.compile("/v0/epoch/(\\d+)");
    private static final Pattern BLOCK = Pattern.compile("/v0/block/(\\d+)");
    private static final Pattern NAMESPACE = Pattern.compile("/v0/block/(\\d+)/namespace/(\\d+)");

    private final EpochTestChain chain;
    private final Lie lie;
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();

    EpochNode(EpochTestChain chain, Lie lie) throws IOException {
        this.chain = chain;
        this.lie = lie;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v0/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Object answer = route(path, ex.getRequestURI().getQuery());
            byte[] body = json.writeValueAsBytes(answer == null ? Map.of("error", "not_found", "detail", path) : answer);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Object route(String path, String query) {
        Matcher m;
        int latest = chain.latestHeight();
        if ((m = LC.matcher(path)).matches()) {
            int h = m.group(1).equals("latest") ? latest : Integer.parseInt(m.group(1));
            return h <= latest ? lightClient(h, chain.certificates.get(h)) : null;
        }
        if ((m = EPOCH.matcher(path)).matches()) {
            int e = Integer.parseInt(m.group(1));
            return e < EpochTestChain.TABLES.size() && EpochTestChain.SCHEDULE.firstHeight(e) <= latest ? epoch(e) : null;
        }
        if ((m = NAMESPACE.matcher(path)).matches()) {
            int h = Integer.parseInt(m.group(1));
            return h <= latest ? NamespaceAnswer.of(h, chain.payloads.get(h).namespaceProof(NamespaceId.of(
                    Long.parseLong(m.group(2))))) : null;
        }
        if ((m = BLOCK.matcher(path)).matches()) {
            int h = Integer.parseInt(m.group(1));
            int certified = query != null && query.startsWith("certifiedHeight=")
                    ? Integer.parseInt(query.substring("certifiedHeight=".length())) : latest;
            if (h > latest || certified > latest || certified < h) return null;
            return BlockAnswer.of(chain.headers.get(h), EpochTestChain.CHAIN_ID, (long) certified,
                    chain.log.proof(h, certified + 1L));
        }
        return null;
    }

    private LightClientAnswer lightClient(int h, LightClientCertificate lc) {
        StakeTable signer = EpochTestChain.TABLES.get((int) EpochTestChain.SCHEDULE.epochOf(h));
        return LightClientAnswer.of(lc, EpochTestChain.CHAIN_ID, signer, chain.headers.get(h), chain.log.proof(h, h + 1L));
    }

    private EpochAnswer epoch(int e) {
        StakeTable table = EpochTestChain.TABLES.get(e);
        if (e == 0) return EpochAnswer.of(0, EpochTestChain.SCHEDULE, table, null);
        int last = (int) EpochTestChain.SCHEDULE.lastHeight(e - 1);
        LightClientCertificate genuine = chain.certificates.get(last);
        LightClientState state = genuine.state();
        StakeTable outgoing = EpochTestChain.TABLES.get(e - 1);
        if (e == 1) {
            switch (lie) {
                case SIGNED_BY_INCOMING -> {
                    var forged = EpochTestChain.signBy(table, state);
                    return EpochAnswer.of(e, EpochTestChain.SCHEDULE, table,
                            LightClientAnswer.of(forged, EpochTestChain.CHAIN_ID, table, chain.headers.get(last),
                                    chain.log.proof(last, last + 1L)));
                }
                case WRONG_NEXT_TABLE -> {
                    return EpochAnswer.of(e, EpochTestChain.SCHEDULE, EpochTestChain.TABLES.get(2), lightClient(last, genuine));
                }
                case OMITTED_HANDOVER -> {
                    return EpochAnswer.of(e, EpochTestChain.SCHEDULE, table, null);
                }
                case MINORITY_HANDOVER -> {
                    var weak = EpochTestChain.signBy(outgoing, state, dev.cortado.protocol.cert.SignerBitmap.of(4, 0, 1));
                    return EpochAnswer.of(e, EpochTestChain.SCHEDULE, table, lightClient(last, weak));
                }
                case NONE -> {
                }
            }
        }
        return EpochAnswer.of(e, EpochTestChain.SCHEDULE, table, lightClient(last, genuine));
    }
}
