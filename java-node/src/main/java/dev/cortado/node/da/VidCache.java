package dev.cortado.node.da;

import dev.cortado.node.da.vid.Vid;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Vid} instances by share count, the newest few kept. A block is encoded for the share count of its epoch
 * (issue 14), which changes only at handovers, so a node needs one or two counts at a time; building a {@link Vid}
 * precomputes the Reed–Solomon parity tables ({@code (n - k) * k} of them), which is worth doing once per count,
 * not once per block. A {@link Vid} is immutable, so one instance serves every thread. Thread-safe.
 */
public final class VidCache {
    /** Counts kept: the current epoch's, the previous one's (blocks decided late, retrieval) and a little slack. */
    public static final int DEFAULT_CAPACITY = 4;

    private final int capacity;
    private final Map<Integer, Vid> byCount;

    public VidCache() {
        this(DEFAULT_CAPACITY);
    }

    public VidCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a VID cache keeps at least one share count, got " + capacity);
        }
        this.capacity = capacity;
        this.byCount = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Vid> eldest) {
                return size() > VidCache.this.capacity;
            }
        };
    }

    /** The VID over {@code shareCount} shares. */
    public synchronized Vid forShares(int shareCount) {
        Vid vid = byCount.get(shareCount);
        if (vid == null) {
            vid = new Vid(shareCount);
            byCount.put(shareCount, vid);
        }
        return vid;
    }

    /** Share counts held now (tests: the bound). */
    public synchronized int size() {
        return byCount.size();
    }
}
