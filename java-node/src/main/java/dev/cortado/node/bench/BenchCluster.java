package dev.cortado.node.bench;

import dev.cortado.node.net.LoopbackPorts;
import dev.cortado.node.config.KeyFile;
import dev.cortado.protocol.crypto.BlsKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A broker and n node processes on 127.0.0.1 for the benchmark, from generated keys and config files. */
public final class BenchCluster implements AutoCloseable {
    final Path dir;
    final int n;
    final int[] apiPorts;
    final Process[] nodes;
    Process broker;
    private final int brokerPort;
    /** Samples the processes' resident memory from their start; see {@link #memory()}. */
    private RssSampler rss;
    /** How often each process's resident memory is sampled. */
    static final long RSS_SAMPLE_MS = 500;

    BenchCluster(Path dir, int n, boolean useBrokers, int maxBlockBytes) throws IOException {
        this.dir = dir;
        this.n = n;
        this.apiPorts = new int[n];
        this.nodes = new Process[n];
        SecureRandom random = new SecureRandom();
        int[] p2p = new int[n];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < n; i++) {
            p2p[i] = freePort();
            apiPorts[i] = freePort();
            BlsKeyPair k = BlsKeyPair.fromSeed(seed(random));
            KeyFile.write(dir.resolve("node" + i + ".key"), k);
            // -Dbench.daCommittee=m: only nodes 0..m-1 form the DA committee (default: all).
            peers.append("[[peers]]\npublic_key = \"").append(k.publicKey().toHex()).append("\"\naddress = \"127.0.0.1:")
                    .append(p2p[i]).append(i >= Integer.getInteger("bench.daCommittee", n) ? "\"\nda = false\n\n" : "\"\n\n");
        }
        brokerPort = freePort();
        BlsKeyPair brokerKey = BlsKeyPair.fromSeed(seed(random));
        KeyFile.write(dir.resolve("broker.key"), brokerKey);
        String brokers = "[[brokers]]\npublic_key = \"" + brokerKey.publicKey().toHex() + "\"\naddress = \"127.0.0.1:" + brokerPort + "\"\n";
        // -Dbench.mempoolBytes=b: each node's mempool holds at most b pending bytes (the node's default otherwise).
        Long mempoolBytes = Long.getLong("bench.mempoolBytes");
        String mempool = mempoolBytes == null ? "" : "[mempool]\nmax_namespace_bytes = " + Math.min(16L << 20, mempoolBytes)
                + "\nmax_total_bytes = " + mempoolBytes + "\n\n";
        for (int i = 0; i < n; i++) {
            String toml = "[node]\nkey_file = \"node" + i + ".key\"\ndata_dir = \"data" + i + "\"\nlisten = \"127.0.0.1:" + p2p[i]
                    + "\"\napi = \"127.0.0.1:" + apiPorts[i] + "\"\n\n[chain]\nchain_id = 777\nbase_timeout_ms = " + Long.getLong("bench.baseTimeoutMs", 1000) + "\nmax_block_bytes = " + maxBlockBytes
                    + "\n\n[network]\nuse_brokers = " + useBrokers + "\n\n[api]\nmax_request_bytes = 33554432\n\n" + mempool + peers + brokers;
            Files.writeString(dir.resolve("node" + i + ".toml"), toml);
        }
        Files.writeString(dir.resolve("broker.toml"), "[broker]\nkey_file = \"broker.key\"\nlisten = \"127.0.0.1:" + brokerPort
                + "\"\nchain_id = 777\n\n" + peers);
    }

    private static byte[] seed(SecureRandom r) {
        byte[] s = new byte[32];
        r.nextBytes(s);
        return s;
    }

    public static int freePort() {
        return LoopbackPorts.pick();
    }

    /** Starts a process; a node gets {@link NodeJvm}'s flags and malloc cap, the broker its former 512 MiB heap. */
    private Process launch(String name, boolean node, List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(node ? NodeJvm.flags(System.getenv()) : List.of("-Xmx512m"));
        cmd.addAll(jvmArgs);
        // -Dbench.nodeLogLevel=info shows the nodes' view timeouts and refused blocks in node<i>.log.
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("bench.nodeLogLevel", "warn"), "-cp", System.getProperty("java.class.path"),
                "dev.cortado.node.cli.NodeMain"));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        if (node) {
            NodeJvm.limitArenas(b.environment());
        }
        return b.start();
    }

    void start(boolean withBroker, boolean profileNode0) throws IOException {
        if (withBroker) {
            broker = launch("broker", false, List.of(), "broker", "--config", "broker.toml");
        }
        for (int i = 0; i < n; i++) {
            List<String> jvm = i == 0 && profileNode0
                    ? List.of("-XX:StartFlightRecording=filename=node0.jfr,settings=profile,dumponexit=true") : List.of();
            nodes[i] = launch("node" + i, true, jvm, "node", "--config", "node" + i + ".toml");
        }
        List<Process> all = new ArrayList<>(List.of(nodes));
        all.add(broker);
        rss = new RssSampler(all, RSS_SAMPLE_MS);
    }

    /** Each node's memory and then the broker's, sampled since {@link #start}; call before closing. */
    List<RssSampler.Memory> memory() {
        return rss.finish();
    }

    /** CPU seconds (user + system) of a process so far, from /proc. */
    public static double cpuSeconds(Process p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        if (rss != null) {
            rss.close();
        }
        List<Process> all = new ArrayList<>(List.of(nodes));
        if (broker != null) {
            all.add(broker);
        }
        for (Process p : all) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : all) {
            if (p != null) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
