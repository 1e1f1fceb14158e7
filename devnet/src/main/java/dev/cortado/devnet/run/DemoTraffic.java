package dev.cortado.devnet.run;

import dev.cortado.lightclient.submit.SubmitClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Demo rollup traffic: a steady trickle of transactions for a few rollup namespaces, submitted over
 * the nodes' public HTTP API, round-robin, the way users' wallets would. A node answering 429 (its
 * backlog or mempool is full) is not hammered: the traffic pauses for the answer's {@code Retry-After},
 * within {@link #MIN_PAUSE_MS}..{@link #MAX_PAUSE_MS}, and the ticks in between send nothing.
 */
public final class DemoTraffic implements AutoCloseable {
    /** The demo rollups' namespace ids. */
    public static final List<Long> NAMESPACES = List.of(10_001L, 10_002L, 10_003L);
    /** The pause after a 429 without a usable Retry-After, and the shortest one. */
    static final long MIN_PAUSE_MS = 1_000;
    /** The longest pause, whatever a node asks: the demo should resume soon after the node recovers. */
    static final long MAX_PAUSE_MS = 30_000;

    private final List<URI> nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-demo-traffic");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicReference<String> lastRefusal = new AtomicReference<>("");
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("\"hash\"\\s*:\\s*\"(0x[0-9a-fA-F]{64})\"");
    private final AtomicLong backedOff = new AtomicLong();
    private final java.util.function.LongSupplier clockMs;
    /** Until when (on {@link #clockMs}) no transaction is sent, after a node pushed back. */
    private volatile long pausedUntilMs;
    private volatile TxTracker tracker;
    private volatile int sampleEvery;

    DemoTraffic(List<URI> nodes, java.util.function.LongSupplier clockMs) {
        this.nodes = List.copyOf(nodes);
        this.clockMs = clockMs;
    }

    /** Starts submitting {@code txPerSec} transactions per second across {@code nodes}. */
    public static DemoTraffic start(List<URI> nodes, int txPerSec) {
        if (txPerSec < 1 || txPerSec > 1_000) {
            throw new IllegalArgumentException("demo traffic must be 1..1000 tx/s, got " + txPerSec);
        }
        DemoTraffic traffic = new DemoTraffic(nodes, System::currentTimeMillis);
        long periodUs = 1_000_000L / txPerSec;
        traffic.timer.scheduleAtFixedRate(traffic::submitOne, periodUs, periodUs, TimeUnit.MICROSECONDS);
        return traffic;
    }

    /** Hands every {@code every}-th accepted transaction to {@code tracker}, which follows it through the levels. */
    public void sampleInto(TxTracker tracker, int every) {
        if (every < 1) throw new IllegalArgumentException("every must be >= 1, got " + every);
        this.sampleEvery = every;
        this.tracker = tracker;
    }

    /** One tick: one transaction, unless a node asked to wait. */
    void submitOne() {
        if (clockMs.getAsLong() < pausedUntilMs) {
            return;
        }
        long n = sent.getAndIncrement();
        long namespace = NAMESPACES.get((int) (n % NAMESPACES.size()));
        URI node = nodes.get((int) (n % nodes.size()));
        byte[] payload = ("demo rollup " + namespace + " transfer #" + n).getBytes(StandardCharsets.UTF_8);
        String body = "{\"namespace\":" + namespace + ",\"payload\":\"0x" + HexFormat.of().formatHex(payload) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(node.resolve("/v0/submit"))
                .timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long t0 = System.currentTimeMillis();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                long a = accepted.incrementAndGet();
                TxTracker t = tracker;
                if (t != null && a % sampleEvery == 0) {
                    var m = HASH.matcher(response.body());
                    if (m.find()) t.submittedOpen(m.group(1), namespace, t0);
                }
            } else if (response.statusCode() == 429) {
                backedOff.incrementAndGet();
                lastRefusal.set(response.statusCode() + " " + response.body());
                pausedUntilMs = clockMs.getAsLong() + pauseMs(response.headers().firstValue("Retry-After").orElse(null));
            } else {
                refused.incrementAndGet();
                lastRefusal.set(response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            refused.incrementAndGet();
            lastRefusal.set(node + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A {@code Retry-After} (read as {@link SubmitClient#retryAfter} reads it) as a pause within {@link #MIN_PAUSE_MS}..{@link #MAX_PAUSE_MS}. */
    static long pauseMs(String retryAfter) {
        return Math.clamp(SubmitClient.retryAfter(retryAfter).toMillis(), MIN_PAUSE_MS, MAX_PAUSE_MS);
    }

    public long accepted() {
        return accepted.get();
    }

    /** Submissions a node answered 429 (backlog or a full mempool), each followed by a pause. */
    public long backedOff() {
        return backedOff.get();
    }

    public long refused() {
        return refused.get();
    }

    /** Why the last refused submission failed, or empty. */
    public String lastRefusal() {
        return lastRefusal.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
