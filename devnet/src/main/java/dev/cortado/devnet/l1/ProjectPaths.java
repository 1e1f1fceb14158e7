package dev.cortado.devnet.l1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the project checkout and the tools the launcher installed into it. */
public final class ProjectPaths {
    private static final String ANVIL = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    private ProjectPaths() {}

    /**
     * The checkout root: {@code -Dcortado.root}, else the first folder upward from the working
     * directory that holds {@code contracts/package.json}.
     */
    public static Path root() {
        String configured = System.getProperty("cortado.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("contracts/package.json"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "cannot find the Cortado checkout: run from inside it or pass -Dcortado.root=<path>");
    }

    /** The pinned Anvil binary ({@code -Dcortado.anvil} overrides). */
    public static Path anvil() {
        String configured = System.getProperty("cortado.anvil");
        Path anvil = configured != null ? Path.of(configured) : root().resolve(ANVIL);
        if (!Files.isExecutable(anvil)) {
            throw new IllegalStateException("Anvil is not installed at " + anvil
                    + ": run ./cortado setup (it installs the pinned npm tools into contracts/node_modules)");
        }
        return anvil;
    }

    /** A {@code besu} executable on the PATH, if any. */
    public static Optional<Path> besuOnPath() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "besu");
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
