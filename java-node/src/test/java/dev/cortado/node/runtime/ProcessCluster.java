package dev.cortado.node.runtime;

import dev.cortado.node.config.KeyFile;
import dev.cortado.node.testing.Await;
import dev.cortado.node.testing.TestKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker and n nodes as separate JVMs ({@code NodeMain node|broker}) on 127.0.0.1, configured
 * through real node.toml and broker.toml files and key files, so they can be SIGKILLed and restarted.
 */
final class ProcessCluster implements AutoCloseable {
    static final long CHAIN_ID = 5151;
    static final int HEAP_MB = 192;
    final Path dir;
    final int n;
    final int[] p2pPorts;
    final int[] apiPorts;
    final int brokerPort;
    final Process[] nodes;
    Process broker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ProcessCluster(Path dir, int n, String extraNodeToml) throws IOException {
        this.dir = dir;
        this.n = n;
        this.p2pPorts = new int[n];
        this.apiPorts = new int[n];
        this.nodes = new Process[n];
        for (int i = 0; i < n; i++) {
            p2pPorts[i] = LocalCluster.freePort();
            apiPorts[i] = LocalCluster.freePort();
            KeyFile.write(dir.resolve("node" + i + ".key"), TestKeys.keyPair(i));
        }
        brokerPort = LocalCluster.freePort();
        KeyFile.write(dir.resolve("broker.key"), TestKeys.keyPair(100));
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < n; i++) {
            peers.append("[[peers]]\npublic_key = \"").append(TestKeys.keyPair(i).publicKey().toHex())
                    .append("\"\naddress = \"127.0.0.1:").append(p2pPorts[i]).append("\"\n\n");
        }
        String brokers = "[[brokers]]\npublic_key = \"" + TestKeys.keyPair(100).publicKey().toHex()
                + "\"\naddress = \"127.0.0.1:" + brokerPort + "\"\n";
        for (int i = 0; i < n; i++) {
            String toml = "[node]\nkey_file = \"node" + i + ".key\"\ndata_dir = \"data" + i + "\"\nlisten = \"127.0.0.1:" + p2pPorts[i]
                    + "\"\napi = \"127.0.0.1:" + apiPorts[i] + "\"\n\n[chain]\nchain_id = " + CHAIN_ID
                    + "\nbase_timeout_ms = 1000\nmax_timeout_ms = 4000\n\n" + extraNodeToml + "\n" + peers + brokers;
            Files.writeString(dir.resolve("node" + i + ".toml"), toml);
        }
        Files.writeString(dir.resolve("broker.toml"), "[broker]\nkey_file = \"broker.key\"\nlisten = \"127.0.0.1:" + brokerPort
                + "\"\nchain_id = " + CHAIN_ID + "\n\n" + peers);
    }

    private Process launch(String name, String... args) throws IOException {
        return launchMain(name, "dev.cortado.node.cli.NodeMain", args);
    }

    /** Starts {@code mainClass} (from the test classpath) as its own JVM, with the nodes' heap limit. */
    Process launchMain(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        return p;
    }

    void startBroker() throws IOException {
        broker = launch("broker", "broker", "--config", "broker.toml");
        Await.until("broker READY", Duration.ofSeconds(60), () -> logContains("broker", "READY"));
    }

    void killBroker() {
        broker.destroyForcibly();
        awaitExit(broker);
    }

    void startNode(int i) throws IOException {
        nodes[i] = launch("node" + i, "node", "--config", "node" + i + ".toml");
    }

    void awaitReady(int i) {
        Await.until("node " + i + " serving", Duration.ofSeconds(60), () -> get(i, "/v0/status") != null);
    }

    /** SIGKILL: no shutdown hook runs, RocksDB is not closed. */
    void kill(int i) {
        nodes[i].destroyForcibly();
        awaitExit(nodes[i]);
        nodes[i] = null;
    }

    /** SIGTERM: the shutdown hook closes the node and its store. */
    void stop(int i) {
        nodes[i].destroy();
        awaitExit(nodes[i]);
        nodes[i] = null;
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean logContains(String name, String text) {
        try {
            Path log = dir.resolve(name + ".log");
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET on node i's API; null when the node does not answer or answers non-200. */
    String get(int i, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[i] + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    HttpResponse<String> post(int i, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[i] + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String log(String name) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(dir.resolve(name + ".log"))))) {
            return String.join("\n", r.lines().toList());
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < n; i++) {
            if (nodes[i] != null) {
                nodes[i].destroyForcibly();
                awaitExit(nodes[i]);
            }
        }
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly();
            awaitExit(broker);
        }
    }
}
