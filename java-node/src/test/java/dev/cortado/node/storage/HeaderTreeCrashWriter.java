package dev.cortado.node.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link HeaderTreeCrashTest}: decides blocks on the store at {@code args[0]} from where it
 * stands, printing each height once written, until the parent kills it (or a cap, so an orphan ends by itself).
 */
public final class HeaderTreeCrashWriter {
    private HeaderTreeCrashWriter() {
    }

    public static void main(String[] args) {
        try (NodeStore s = new NodeStore(Path.of(args[0]))) {
            long cap = s.headers().size() + 200_000;
            for (long h = s.headers().size(); h < cap; h++) {
                s.putDecided(HeaderTreeTest.block(h, TallStores.header(h)), new byte[64], null, List.of(), null);
                System.out.println(h);
            }
        }
    }
}
