package dev.cortado.settlement.l1;

import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.protocol.http.HttpService;

/**
 * JSON-RPC over HTTP with timeouts that suit a loaded machine. web3j's defaults give up on a read
 * after 10 s, which a blob transaction (KZG checks) or a busy two-core CI box can exceed.
 */
public final class RpcHttp {
    public static final long CONNECT_TIMEOUT_MS = 5_000;
    public static final long READ_TIMEOUT_MS = 120_000;

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .readTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .writeTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .build();

    private RpcHttp() {}

    /** An HTTP transport to {@code rpcUrl}; every service shares one connection pool. */
    public static HttpService service(String rpcUrl) {
        return new HttpService(rpcUrl, CLIENT);
    }
}
