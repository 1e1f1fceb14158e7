package dev.cortado.settlement.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one batch transaction in flight, written to disk (fsynced, then renamed into place) before it
 * is sent, so a poster killed between signing and the receipt re-sends the very same signed bytes
 * after a restart instead of signing a second transaction for the range. Everything else the poster
 * knows comes from L1 ({@code BatchInbox.nextHeight()}, receipts, nonces).
 */
public final class PostJournal {

    /**
     * A signed batch transaction: its hash, nonce, range, raw bytes (hex) and when it was signed
     * (wall clock, for fee bumping; 0 in journals written before the field existed).
     */
    public record InFlight(String txHash, long nonce, long firstHeight, long lastHeight, String rawTx, long signedAtMs) {
        public InFlight {
            if (!txHash.matches("0x[0-9a-f]{64}") || !rawTx.matches("0x[0-9a-f]+") || nonce < 0 || firstHeight < 0
                    || lastHeight < firstHeight) {
                throw new IllegalArgumentException("bad in-flight record " + txHash + " nonce " + nonce + " range "
                        + firstHeight + ".." + lastHeight);
            }
        }
    }

    private final Path file;

    public PostJournal(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public Optional<InFlight> read() {
        if (!Files.exists(file)) return Optional.empty();
        try {
            Map<String, String> kv = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int eq = line.indexOf('=');
                if (eq > 0) kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
            return Optional.of(new InFlight(kv.get("txHash"), Long.parseLong(kv.get("nonce")),
                    Long.parseLong(kv.get("firstHeight")), Long.parseLong(kv.get("lastHeight")), kv.get("rawTx"),
                    Long.parseLong(kv.getOrDefault("signedAtMs", "0"))));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the batch journal " + file, e);
        } catch (RuntimeException e) {
            // Only a complete file is ever renamed into place, so a bad one was edited by hand.
            throw new IllegalStateException("the batch journal " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    public void write(InFlight f) {
        String text = "txHash=" + f.txHash() + "\nnonce=" + f.nonce() + "\nfirstHeight=" + f.firstHeight()
                + "\nlastHeight=" + f.lastHeight() + "\nsignedAtMs=" + f.signedAtMs() + "\nrawTx=" + f.rawTx() + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the batch journal " + file, e);
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("clearing the batch journal " + file, e);
        }
    }
}
