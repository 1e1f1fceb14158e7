package dev.cortado.devnet.bench.peers;

import dev.cortado.node.bench.BenchCluster;
import dev.cortado.node.bench.OfferedLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/** One load point against a fresh 4-peer Ratis group, with the load generator {@code bench network} uses. */
final class RatisLoad {
    static final int PEERS = 4;

    /** A run's sample, and whether every peer then held exactly the transactions the leader accepted. */
    record Outcome(Sample sample, boolean exactlyOnce, String exactlyOnceDetail) {}

    private RatisLoad() {}

    static Outcome run(int rate, int seconds, long warmupMs, int txBytes) throws Exception {
        Path dir = Files.createTempDirectory("cortado-bench-ratis");
        System.out.println("ratis: " + rate + " tx/s, group in " + dir);
        try (RatisCluster c = new RatisCluster(dir, PEERS)) {
            c.awaitLeader(60_000);
            Histogram latencyUs = new Histogram(60_000_000L, 3);
            AtomicLong accepted = new AtomicLong();
            AtomicLong acceptedAll = new AtomicLong();
            AtomicLong decided = new AtomicLong();
            AtomicLong unanswered = new AtomicLong();
            double[] cpuStart = new double[PEERS];
            // The window is open from the first measured tick until the load stops, as bench network's observer.
            boolean[] window = {false};
            long offered = OfferedLoad.run(rate, warmupMs, seconds, txBytes, new OfferedLoad.Sink() {
                @Override
                public void measuring() {
                    for (int i = 0; i < PEERS; i++) {
                        cpuStart[i] = BenchCluster.cpuSeconds(c.peers[i]);
                    }
                    synchronized (window) {
                        window[0] = true;
                    }
                }

                @Override
                public CompletableFuture<?> send(OfferedLoad.Batch batch) {
                    long submitNs = System.nanoTime();
                    unanswered.incrementAndGet();
                    CompletableFuture<RaftClientReply> f = c.client.async().send(Message.valueOf(ByteString.copyFrom(TxBatch.encode(batch))));
                    return f.whenComplete((reply, e) -> {
                        long latency = (System.nanoTime() - submitNs) / 1000;
                        boolean ok = reply != null && reply.isSuccess();
                        if (ok) {
                            acceptedAll.addAndGet(batch.count());
                        }
                        synchronized (window) {
                            if (ok && window[0]) {
                                decided.addAndGet(batch.count());
                                if (batch.measured()) {
                                    latencyUs.recordValueWithCount(Math.min(latencyUs.getHighestTrackableValue(), latency), batch.count());
                                }
                            }
                            if (ok && batch.measured()) {
                                accepted.addAndGet(batch.count());
                            }
                        }
                        unanswered.decrementAndGet();
                    });
                }
            });
            double cpu = 0;
            synchronized (window) {
                window[0] = false;
                for (int i = 0; i < PEERS; i++) {
                    cpu += BenchCluster.cpuSeconds(c.peers[i]) - cpuStart[i];
                }
            }
            long drainDeadline = System.nanoTime() + 60_000_000_000L;
            while (unanswered.get() > 0 && System.nanoTime() < drainDeadline) {
                Thread.sleep(20);
            }
            String detail = exactlyOnce(c, acceptedAll.get());
            double p50;
            double p99;
            synchronized (window) {
                p50 = latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(50) / 1000.0;
                p99 = latencyUs.getTotalCount() == 0 ? Double.NaN : latencyUs.getValueAtPercentile(99) / 1000.0;
            }
            Sample s = new Sample("ratis", rate, seconds, offered / (double) seconds, accepted.get() / (double) seconds,
                    decided.get() / (double) seconds, p50, p99, cpu / seconds);
            System.out.println("  " + s + "; " + detail);
            return new Outcome(s, detail.startsWith("yes"), detail);
        } finally {
            deleteTree(dir);
        }
    }

    /** Waits (bounded) for every peer to apply all accepted transactions, then checks none applied more. */
    private static String exactlyOnce(RatisCluster c, long acceptedAll) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long[] txs = new long[PEERS];
        for (int i = 0; i < PEERS; i++) {
            while (true) {
                try {
                    txs[i] = c.counts(i).txs();
                } catch (IOException e) {
                    txs[i] = -1;
                }
                if (txs[i] >= acceptedAll || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        for (long t : txs) {
            if (t != acceptedAll) {
                return "no: accepted " + acceptedAll + ", peers applied " + java.util.Arrays.toString(txs);
            }
        }
        return "yes: " + acceptedAll + " on each peer";
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
