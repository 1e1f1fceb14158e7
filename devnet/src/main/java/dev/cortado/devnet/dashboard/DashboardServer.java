package dev.cortado.devnet.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The devnet's live dashboard: one static page ({@code /}, {@code /app.js}, {@code /style.css} from this
 * package's resources), the current picture as JSON ({@code GET /api/snapshot}) and the same picture pushed
 * once a second as Server-Sent Events ({@code GET /api/events}, event {@code snapshot}). JDK HTTP server, bound to
 * 127.0.0.1 only; the page loads nothing from anywhere else. At most {@value #MAX_STREAMS} event streams at once,
 * so a tab left open in a loop cannot pile up threads.
 */
public final class DashboardServer implements AutoCloseable {
    static final int MAX_STREAMS = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");

    private final HttpServer server;
    private final Supplier<Object> snapshot;
    private final ExecutorService workers = Executors.newFixedThreadPool(MAX_STREAMS + 4, r -> {
        Thread t = new Thread(r, "dashboard-http");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-events");
        t.setDaemon(true);
        return t;
    });
    private final List<HttpExchange> streams = new CopyOnWriteArrayList<>();

    private DashboardServer(HttpServer server, Supplier<Object> snapshot) {
        this.server = server;
        this.snapshot = snapshot;
        server.createContext("/", this::serve);
        server.setExecutor(workers);
        server.start();
        ticker.scheduleWithFixedDelay(this::push, 1_000, 1_000, TimeUnit.MILLISECONDS);
    }

    /** Serves {@code snapshot} on 127.0.0.1:{@code port} (0: a free port). */
    public static DashboardServer start(int port, Supplier<Object> snapshot) throws IOException {
        return new DashboardServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32), snapshot);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!ex.getRequestMethod().equals("GET")) {
            reply(ex, 405, "text/plain", "use GET\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals("/api/snapshot")) {
            reply(ex, 200, "application/json", JSON.writeValueAsBytes(snapshot.get()));
        } else if (path.equals("/api/events")) {
            openStream(ex);
        } else if (FILES.containsKey(path)) {
            String name = FILES.get(path);
            try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
                if (in == null) throw new IOException("dashboard resource " + name + " is missing from the build");
                reply(ex, 200, name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html",
                        in.readAllBytes());
            }
        } else {
            reply(ex, 404, "text/plain", ("no page " + path + "; the dashboard is at /\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void openStream(HttpExchange ex) throws IOException {
        if (streams.size() >= MAX_STREAMS) {
            reply(ex, 429, "text/plain", ("at most " + MAX_STREAMS + " dashboards at once\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        streams.add(ex);
        send(ex, JSON.writeValueAsString(snapshot.get()));
        // The exchange stays open; the ticker writes to it until the browser goes away or the server stops.
    }

    private void push() {
        if (streams.isEmpty()) return;
        String json;
        try {
            json = JSON.writeValueAsString(snapshot.get());
        } catch (RuntimeException e) {
            json = JSON.writeValueAsString(Map.of("error", String.valueOf(e.getMessage())));
        }
        for (HttpExchange ex : streams) send(ex, json);
    }

    private void send(HttpExchange ex, String json) {
        try {
            OutputStream out = ex.getResponseBody();
            out.write(("event: snapshot\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            streams.remove(ex); // the page was closed
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", type + (type.startsWith("text/") ? "; charset=utf-8" : ""));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        for (HttpExchange ex : streams) ex.close();
        streams.clear();
        server.stop(0);
        workers.shutdownNow();
    }
}
