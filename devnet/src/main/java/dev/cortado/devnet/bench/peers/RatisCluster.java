package dev.cortado.devnet.bench.peers;

import dev.cortado.node.bench.BenchCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.ExceptionDependentRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * n Ratis peer processes on 127.0.0.1, launched the way {@code bench network} launches Cortado nodes (same JVM,
 * class path, heap cap and log level, one log file each in the run's folder), and one client to them.
 */
final class RatisCluster implements AutoCloseable {
    private static final Message COUNTS = Message.valueOf("counts");

    final Path dir;
    final Process[] peers;
    final RaftGroup group;
    final RaftClient client;

    RatisCluster(Path dir, int n) throws IOException {
        this.dir = dir;
        this.peers = new Process[n];
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            addresses.add("127.0.0.1:" + BenchCluster.freePort());
        }
        UUID groupId = UUID.randomUUID();
        this.group = RatisPeerMain.group(groupId, addresses);
        try {
            for (int i = 0; i < n; i++) {
                peers[i] = launch(i, groupId, String.join(",", addresses));
            }
        } catch (IOException | RuntimeException e) {
            stopPeers();
            throw e;
        }
        RaftProperties props = new RaftProperties();
        // The 3 s default makes a stalled shared machine resend whole queues (the retry cache drops the copies).
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        // Retries cover leader election and redirects (a request still failing after 30 s counts as not accepted);
        // a batch the state machine refused is final.
        RetryPolicy retry = ExceptionDependentRetry.newBuilder()
                .setDefaultPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(300, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .setExceptionToPolicy(StateMachineException.class, RetryPolicies.noRetry()).setMaxAttempts(300).build();
        this.client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group).setRetryPolicy(retry).build();
    }

    private Process launch(int i, UUID groupId, String addresses) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                RatisPeerMain.class.getName(), Integer.toString(i), groupId.toString(), addresses, dir.resolve("peer" + i).toString());
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("peer" + i + ".log").toFile())).start();
    }

    /** Waits until a leader answers a linearizable read, that is until the group can commit. */
    void awaitLeader(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            for (int i = 0; i < peers.length; i++) {
                if (!peers[i].isAlive()) {
                    throw new IllegalStateException("ratis peer " + i + " exited; see " + dir.resolve("peer" + i + ".log"));
                }
            }
            try {
                RaftClientReply r = client.io().sendReadOnly(COUNTS);
                if (r.isSuccess()) {
                    return;
                }
            } catch (IOException e) {
                // no leader yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no Ratis leader within " + timeoutMs + " ms; see " + dir.resolve("peer0.log"));
            }
            Thread.sleep(100);
        }
    }

    /** What peer i has applied so far, read from that peer alone (a stale read: no round through the leader). */
    CountingStateMachine.Counts counts(int i) throws IOException {
        RaftClientReply r = client.io().sendStaleRead(COUNTS, 0, RatisPeerMain.peerId(i));
        if (!r.isSuccess()) {
            throw new IOException("peer " + i + " refused the counts query: " + r.getException());
        }
        return CountingStateMachine.Counts.from(r.getMessage());
    }

    private void stopPeers() {
        for (Process p : peers) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : peers) {
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

    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException e) {
            System.err.println("ratis client close failed: " + e);
        }
        stopPeers();
    }
}
