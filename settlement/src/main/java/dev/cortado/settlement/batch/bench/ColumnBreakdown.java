package dev.cortado.settlement.batch.bench;

import dev.cortado.settlement.batch.codec.BatchContent;
import dev.cortado.settlement.batch.codec.BatchFrame;
import dev.cortado.settlement.batch.codec.CodecId;
import dev.cortado.settlement.batch.codec.ColumnBytes;
import dev.cortado.settlement.batch.codec.GeneralCodecs;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the column codec's output goes, per column, for one file as one batch: raw bytes, the bytes
 * in our frame, and what zstd-19 and brotli-11 make of the column alone (the best a general
 * compressor does with it). The columns that neither shrinks are the floor under the ratio.
 */
final class ColumnBreakdown {
    /**
     * The columns general compressors barely shrink: ECDSA scalars, first-seen addresses, and the
     * calldata words' significant bytes (amounts, and many hashes and signatures).
     */
    static final Set<String> FLOOR = Set.of("SIG", "ADDR_LIT", "WORDS");
    /** The one-batch target on the OP file. */
    static final double TARGET_RATIO = 3.3;

    private ColumnBreakdown() {}

    /** A markdown section for {@code chain}: the column table and the floor it implies. */
    static String section(String chain, List<byte[]> txs, int level) {
        BatchContent batch = RealTxCorpus.asBatch(txs, 10);
        long raw = batch.transactionBytes();
        List<ColumnBytes> cols = ColumnBytes.of(batch, level);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### %s (%,d raw bytes, %,d frame bytes)%n%n", chain, raw,
                BatchFrame.encode(batch, CodecId.ETH_COLUMNS, level).length));
        sb.append("| column | raw bytes | in our frame | zstd-19 alone | brotli-11 alone | share of our frame |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        long posted = 0;
        long floor = 0;
        for (ColumnBytes c : cols) {
            posted += c.postedBytes();
        }
        for (ColumnBytes c : cols) {
            if (c.raw().length == 0) {
                continue;
            }
            int z = c.raw().length < 64 ? c.raw().length : Math.min(c.raw().length, GeneralCodecs.zstd(c.raw(), 19).length);
            int b = c.raw().length < 64 ? c.raw().length : Math.min(c.raw().length, GeneralCodecs.brotli(c.raw(), 11).length);
            if (FLOOR.contains(c.column())) {
                floor += Math.min(c.postedBytes(), Math.min(z, b));
            }
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.1f%% |%n", c.column(), c.raw().length,
                    c.postedBytes(), z, b, 100.0 * c.postedBytes() / posted));
        }
        long budget = (long) Math.floor(raw / TARGET_RATIO);
        sb.append(String.format(Locale.ROOT, "%nSIG + ADDR_LIT + WORDS at the best of the three: **%,d bytes**;"
                + " %.1f× allows %,d bytes for the whole frame, so with every other column free the ratio would be"
                + " at most **%.2f×**.%n%n", floor, TARGET_RATIO, budget, (double) raw / floor));
        return sb.toString();
    }
}
