package dev.cortado.lightclient;

import dev.cortado.lightclient.LightClientVerificationException.Reason;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.types.Bytes32;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One node's HTTP API, unverified: it fetches and parses answers and nothing more. Bodies are read
 * up to {@code maxResponseBytes}; a larger answer is refused as malformed.
 */
public final class NodeFollower {
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 192L << 20;

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public NodeFollower(URI base, HttpClient http, Duration requestTimeout, long maxResponseBytes) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    public NodeFollower(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(30),
                DEFAULT_MAX_RESPONSE_BYTES);
    }

    public URI base() {
        return base;
    }

    public LightClientAnswer latestLightClient() {
        return get("/v0/light-client/latest", LightClientAnswer.class);
    }

    public LightClientAnswer lightClient(long height) {
        return get("/v0/light-client/" + height, LightClientAnswer.class);
    }

    /** An epoch's table with its handover certificate. */
    public EpochAnswer epoch(long epoch) {
        return get("/v0/epoch/" + epoch, EpochAnswer.class);
    }

    /** The block at {@code height}, asking for a header proof against the state at {@code certifiedHeight}. */
    public BlockAnswer block(long height, long certifiedHeight) {
        return get("/v0/block/" + height + "?certifiedHeight=" + certifiedHeight, BlockAnswer.class);
    }

    public NamespaceAnswer namespace(long height, NamespaceId namespace) {
        return get("/v0/block/" + height + "/namespace/" + namespace.value(), NamespaceAnswer.class);
    }

    public TransactionAnswer transaction(Bytes32 hash) {
        return get("/v0/tx/" + hash.toHex(), TransactionAnswer.class);
    }

    private <T> T get(String path, Class<T> type) {
        URI uri = URI.create(base + path);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new NodeUnavailableException("GET " + uri + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnavailableException("GET " + uri + " interrupted", 0, e);
        }
        byte[] body;
        try (InputStream in = resp.body()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
        } catch (IOException e) {
            throw new NodeUnavailableException("GET " + uri + " body failed: " + e, resp.statusCode(), e);
        }
        if (resp.statusCode() != 200) {
            String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
            throw new NodeUnavailableException("GET " + uri + " answered " + resp.statusCode() + ": " + text,
                    resp.statusCode(), null);
        }
        if (body.length > maxResponseBytes) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "GET " + uri + " answered more than "
                    + maxResponseBytes + " bytes");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "GET " + uri + " answered null");
            }
            return value;
        } catch (JacksonException e) {
            throw new LightClientVerificationException(Reason.MALFORMED_ANSWER, "GET " + uri + " answered unparsable JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
