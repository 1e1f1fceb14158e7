package dev.cortado.settlement.batch.bench;

import dev.cortado.settlement.batch.codec.BatchContent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The real transaction corpus in {@code ../shared/data/real-txs} (relative to the repository root). */
public final class RealTxCorpus {
    public static final List<String> CHAINS = List.of("l1-mainnet", "op-mainnet", "base-mainnet", "unichain-mainnet");

    private RealTxCorpus() {}

    /**
     * {@code shared/data/real-txs} next to the repository root, or next to one of its ancestors (a git
     * worktree under {@code wt/} sits one level deeper than the main checkout).
     */
    public static Path directory() {
        String root = System.getProperty("cortado.root", System.getProperty("user.dir"));
        Path start = Path.of(root).toAbsolutePath().normalize();
        for (Path p = start.getParent(); p != null; p = p.getParent()) {
            Path dir = p.resolve("shared/data/real-txs");
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("corpus not found: no shared/data/real-txs beside " + start + " or its ancestors");
    }

    /** The transactions of one chain's file, in file order. */
    public static List<byte[]> load(String chain) {
        Path file = directory().resolve("txs-" + chain + ".hex.gz");
        List<byte[]> txs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String hex = line.strip();
                if (!hex.isEmpty()) {
                    txs.add(HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading " + file + ": " + e.getMessage(), e);
        }
        return txs;
    }

    /** One batch of one block in one namespace. */
    public static BatchContent asBatch(List<byte[]> txs, long namespace) {
        return new BatchContent(1, 1, List.of(new BatchContent.Block(1, new byte[0],
                List.of(new BatchContent.Namespace(namespace, txs)))));
    }
}
