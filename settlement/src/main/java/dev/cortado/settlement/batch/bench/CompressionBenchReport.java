package dev.cortado.settlement.batch.bench;

import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * {@code ./cortado bench compression}: ratio and single-thread MB/s of zlib-9, zstd-3, zstd-19,
 * brotli-11 and the Ethereum column codec on the real-transaction corpus, as one batch per file and
 * as blob-sized batches (frames of at most 6 × 131,072 bytes). Writes bench/compression.md.
 */
public final class CompressionBenchReport {
    static final int BLOB_BATCH_BYTES = 6 * 131_072;
    /** The column codec's zstd level in this report (a poster with no backlog uses a higher one). */
    static final int OURS_LEVEL = Integer.getInteger("bench.oursLevel", 9);

    /** One compressor under test: the frame it writes for a batch and how it reads it back. */
    record Method(String name, CodecId codec, int level, boolean zlib) {
        byte[] compress(BatchContent c) {
            return zlib ? deflate(c.toPlain(), level) : BatchFrame.encode(c, codec, level);
        }

        BatchContent decompress(byte[] frame, int plainLength) {
            return zlib ? BatchContent.fromPlain(inflate(frame, plainLength)) : BatchFrame.decode(frame, BatchFrame.MAX_PLAIN_BYTES);
        }
    }

    static final List<Method> METHODS = List.of(
            new Method("zlib-9", null, 9, true),
            new Method("zstd-3", CodecId.ZSTD, 3, false),
            new Method("zstd-19", CodecId.ZSTD, 19, false),
            new Method("brotli-11", CodecId.BROTLI, 11, false),
            new Method("ours (columns, zstd-" + OURS_LEVEL + ")", CodecId.ETH_COLUMNS, OURS_LEVEL, false));

    /** {@code compressCpuMBps} counts the thread's CPU time, not the wall clock: other jobs' load does not dilute it. */
    record Result(long rawBytes, long outBytes, int batches, double compressMBps, double compressCpuMBps, double decompressMBps) {
        double ratio() {
            return (double) rawBytes / outBytes;
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/compression.md");
        int runs = Integer.getInteger("bench.runs", 3);
        String loadAtStart = loadAverage();
        StringBuilder one = new StringBuilder();
        StringBuilder blob = new StringBuilder();
        StringBuilder columns = new StringBuilder();
        List<String> chains = List.of(System.getProperty("bench.chains", String.join(",", RealTxCorpus.CHAINS)).split(","));
        for (String chain : chains) {
            List<byte[]> txs = RealTxCorpus.load(chain);
            long raw = txs.stream().mapToLong(t -> t.length).sum();
            for (Method m : METHODS) {
                Result r1 = measure(m, List.of(txs), runs);
                one.append(row(chain, txs.size(), raw, m, r1));
                Result rb = measure(m, blobBatches(m, txs), runs);
                blob.append(row(chain, txs.size(), raw, m, rb));
                System.out.printf(Locale.ROOT, "%-18s %-28s one %.2fx %.1f (CPU %.1f)/%.1f MB/s  blob %.2fx in %d batches%n",
                        chain, m.name(), r1.ratio(), r1.compressMBps(), r1.compressCpuMBps(), r1.decompressMBps(), rb.ratio(),
                        rb.batches());
            }
            columns.append(ColumnBreakdown.section(chain, txs, OURS_LEVEL));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report(one.toString(), blob.toString(), columns.toString(), runs, loadAtStart));
        System.out.println("wrote " + out);
    }

    private static String row(String chain, int txCount, long raw, Method m, Result r) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %,d | %d | **%.2f×** | %.1f | %.1f | %.1f |%n",
                chain, txCount, raw, m.name(), r.outBytes(), r.batches(), r.ratio(), r.compressMBps(), r.compressCpuMBps(),
                r.decompressMBps());
    }

    /** Compresses and decompresses every batch {@code runs} times; MB/s from the median run. */
    static Result measure(Method m, List<List<byte[]>> batches, int runs) {
        List<BatchContent> contents = new ArrayList<>();
        long raw = 0;
        for (List<byte[]> b : batches) {
            contents.add(RealTxCorpus.asBatch(b, 10));
            raw += b.stream().mapToLong(t -> t.length).sum();
        }
        int[] plainLengths = contents.stream().mapToInt(c -> c.toPlain().length).toArray();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] cNanos = new long[runs];
        long[] cCpuNanos = new long[runs];
        long[] dNanos = new long[runs];
        long outBytes = 0;
        for (int run = 0; run < runs; run++) {
            byte[][] frames = new byte[contents.size()][];
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < contents.size(); i++) {
                frames[i] = m.compress(contents.get(i));
            }
            long t1 = System.nanoTime();
            cCpuNanos[run] = threads.getCurrentThreadCpuTime() - cpu0;
            for (int i = 0; i < contents.size(); i++) {
                BatchContent back = m.decompress(frames[i], plainLengths[i]);
                if (run == 0) {
                    checkEveryTransaction(m, i, batches.get(i), back);
                }
            }
            long t2 = System.nanoTime();
            cNanos[run] = t1 - t0;
            dNanos[run] = t2 - t1;
            outBytes = Arrays.stream(frames).mapToLong(f -> f.length).sum();
        }
        return new Result(raw, outBytes, contents.size(), mbps(raw, median(cNanos)), mbps(raw, median(cCpuNanos)),
                mbps(raw, median(dNanos)));
    }

    /** The round trip must give back every transaction byte for byte, in order. */
    static void checkEveryTransaction(Method m, int batch, List<byte[]> sent, BatchContent back) {
        List<byte[]> got = back.blocks().size() == 1 && back.blocks().get(0).namespaces().size() == 1
                ? back.blocks().get(0).namespaces().get(0).transactions() : List.of();
        if (got.size() != sent.size()) {
            throw new IllegalStateException(m.name() + " batch " + batch + ": " + got.size() + " transactions back of " + sent.size());
        }
        for (int t = 0; t < sent.size(); t++) {
            if (!Arrays.equals(sent.get(t), got.get(t))) {
                throw new IllegalStateException(m.name() + " batch " + batch + ": transaction " + t + " differs after the round trip");
            }
        }
    }

    /**
     * Consecutive transactions packed greedily into frames of at most {@link #BLOB_BATCH_BYTES}: each
     * batch takes the longest prefix that fits, found by bisection on the transaction count.
     */
    static List<List<byte[]>> blobBatches(Method m, List<byte[]> txs) {
        List<List<byte[]>> batches = new ArrayList<>();
        int start = 0;
        while (start < txs.size()) {
            int lo = start + 1;
            int hi = txs.size();
            if (fits(m, txs.subList(start, hi))) {
                lo = hi;
            } else {
                // lo always fits (a single real transaction is far below a blob batch), hi never does.
                while (hi - lo > 1) {
                    int mid = (lo + hi) >>> 1;
                    if (fits(m, txs.subList(start, mid))) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
            }
            batches.add(txs.subList(start, lo));
            start = lo;
        }
        return batches;
    }

    private static boolean fits(Method m, List<byte[]> txs) {
        return m.compress(RealTxCorpus.asBatch(txs, 10)).length <= BLOB_BATCH_BYTES;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    static byte[] deflate(byte[] src, int level) {
        Deflater d = new Deflater(level);
        d.setInput(src);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length / 2);
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] inflate(byte[] src, int length) {
        Inflater inf = new Inflater();
        inf.setInput(src);
        byte[] out = new byte[length];
        try {
            int n = inf.inflate(out);
            if (n != length) {
                throw new IllegalStateException("zlib gave " + n + " of " + length + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inf.end();
        }
        return out;
    }

    private static String report(String one, String blob, String columns, int runs, String loadAtStart) {
        String head = "| chain | txs | raw bytes | method | output bytes | batches | ratio | compress MB/s | compress MB/s (CPU) |"
                + " decompress MB/s |\n|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n";
        return "# Batch compression on real rollup transactions\n\n"
                + "Generated by `dev.cortado.settlement.batch.bench.CompressionBenchReport` (`./cortado bench compression`) on "
                + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ".\n\n"
                + "- Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (nproc), " + cpuModel()
                + ", load average " + loadAtStart + " at the start of the run and " + loadAverage() + " at the write-up. The machine is shared with other jobs"
                + " (several builds ran at the same time), so MB/s are noisy; ratios are exact.\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + "\n"
                + "- Corpus: `../shared/data/real-txs/` (every line of every file, including the L1 file's five batcher"
                + " transactions of 50-115 KB already-compressed calldata). Raw bytes are the transactions' binary length.\n"
                + "- Ratio = raw transaction bytes / output bytes. Output is the posted frame (6-byte header included) for"
                + " zstd, brotli and ours, and the bare zlib stream for zlib-9; all compress the same plain batch form"
                + " (`BatchContent.toPlain()`), except ours, which compresses the parsed columns.\n"
                + "- MB/s: raw transaction bytes per second on one thread, median of " + runs + " runs after a first"
                + " (checked) round trip; decompression includes parsing back to transactions. \"compress MB/s\" is by the"
                + " wall clock; \"(CPU)\" by the compressing thread's CPU time, which the other jobs' load does not dilute"
                + " (cache and memory contention still count).\n"
                + "- Blob-sized: consecutive transactions packed greedily (longest prefix by bisection) into frames of at most"
                + " 6 × 131,072 = 786,432 bytes, per method; ratio and MB/s over all of a file's batches.\n\n"
                + "## Each file as one batch\n\n" + head + one
                + "\n## Blob-sized batches (≤ 786,432 bytes each)\n\n" + head + blob
                + "\n## Where our bytes go (each file as one batch, zstd-" + OURS_LEVEL + ")\n\n"
                + "Per column of the Ethereum codec: raw bytes, bytes in our frame (method byte and lengths included),"
                + " and each column alone through zstd-19 and brotli-11, the best a general compressor makes of it."
                + " SIG holds the r and s scalars (random by construction), ADDR_LIT every address the first time the batch"
                + " uses it, WORDS the significant bytes of the calldata words (after their leading zeros: amounts, hashes,"
                + " signatures, packed data).\n\n" + columns
                + "\nAnchors from the issue: on the OP file zstd-19 reaches 2.65× and zlib-9 2.32×; target ≥ 3.3× for ours as one"
                + " batch at ≥ 40 MB/s compression on one core, and blob-sized batches beating zstd-19 on every L2 corpus.\n\n"
                + "Reproduce: `./cortado bench compression` (writes this file; `-Dbench.runs=N` and `-Dbench.oursLevel=L`"
                + " through `JAVA_TOOL_OPTIONS`).\n";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
