package dev.cortado.protocol.stake;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.BlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic validator keys and stake tables for tests, vectors and benchmarks. */
public final class StakeFixtures {
    private StakeFixtures() {
    }

    /** Key i is derived from the seed keccak256("cortado/test-key/" + i). */
    public static BlsKeyPair key(int i) {
        return BlsKeyPair.fromSeed(Keccak.hash(("cortado/test-key/" + i).getBytes(StandardCharsets.UTF_8)).bytes());
    }

    public static List<BlsKeyPair> keys(int n) {
        List<BlsKeyPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(key(i));
        }
        return out;
    }

    /**
     * A table over {@code keys}: entry i has stake {@code (1 + i % 4) · 32 gwei·10⁹} and sits on the DA
     * committee when i is even, so stakes differ and the committee is a proper subset.
     */
    public static StakeTable table(List<BlsKeyPair> keys) {
        List<StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            entries.add(new StakeEntry(keys.get(i).publicKey(), stakeGwei(i), i % 2 == 0));
        }
        return StakeTable.of(entries);
    }

    public static long stakeGwei(int i) {
        return (1 + i % 4) * 32_000_000_000L;
    }
}
