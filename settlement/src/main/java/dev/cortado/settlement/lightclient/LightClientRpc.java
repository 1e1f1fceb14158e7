package dev.cortado.settlement.lightclient;

import dev.cortado.settlement.l1.RpcHttp;
import dev.cortado.settlement.port.L1Client.L1Exception;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * The light-client poster's and reader's JSON-RPC connection, with bounded retries of transport
 * failures (I/O errors, HTTP 429 and 5xx) and doubling backoff; a JSON-RPC error answer is not retried.
 */
final class LightClientRpc {
    private static final Logger LOG = LoggerFactory.getLogger(LightClientRpc.class);

    final Web3j web3j;
    private final String url;
    private final int maxAttempts;
    private final long backoffMs;

    LightClientRpc(String url, int maxAttempts, long backoffMs) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxRpcAttempts must be >= 1, got " + maxAttempts);
        this.web3j = Web3j.build(RpcHttp.service(url));
        this.url = url;
        this.maxAttempts = maxAttempts;
        this.backoffMs = backoffMs;
    }

    String url() {
        return url;
    }

    <R extends Response<?>> R send(String method, Request<?, R> request) {
        long wait = backoffMs;
        for (int attempt = 1; ; attempt++) {
            try {
                return request.send();
            } catch (IOException | ClientConnectionException e) {
                if (e instanceof ClientConnectionException c && !transientStatus(c.getCode())) {
                    throw new L1Exception(method + " to " + url + " failed: " + e.getMessage(), e);
                }
                if (attempt >= maxAttempts) {
                    throw new L1Exception(method + " to " + url + " failed after " + attempt + " attempts: "
                            + e.getMessage(), e);
                }
                LOG.debug("{} failed ({}), retry {} of {}", method, e.getMessage(), attempt, maxAttempts - 1);
                if (!sleep(wait)) {
                    throw new L1Exception(method + " interrupted", e);
                }
                wait = Math.max(1, wait * 2);
            }
        }
    }

    /** Overload and gateway answers pass; other HTTP errors (a wrong URL, no auth) will not. */
    private static boolean transientStatus(Integer code) {
        return code == null || code == 429 || code >= 500;
    }

    static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void close() {
        web3j.shutdown();
    }
}
