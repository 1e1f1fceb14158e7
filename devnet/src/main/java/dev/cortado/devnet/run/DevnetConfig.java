package dev.cortado.devnet.run;

import dev.cortado.devnet.l1.L1Kind;
import java.nio.file.Path;

/**
 * What {@code cortado devnet} starts.
 *
 * @param l1 which L1 node to run
 * @param secondsPerSlot the slot length; the L1 seals one block per slot
 * @param outDir where deployment.json and node data go
 */
public record DevnetConfig(L1Kind l1, int secondsPerSlot, Path outDir) {
    public DevnetConfig {
        if (secondsPerSlot < 1 || secondsPerSlot > 60) {
            throw new IllegalArgumentException("--seconds-per-slot must be 1..60, got " + secondsPerSlot);
        }
    }
}
