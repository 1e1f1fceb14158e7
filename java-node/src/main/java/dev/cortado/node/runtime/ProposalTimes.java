package dev.cortado.node.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When recent proposals arrived and which of them the pipeline deferred, by view, for the stage timers in
 * {@link StageMetrics}. Event thread only; both maps keep the newest {@link #VIEWS} views, so a flood of views
 * cannot grow them.
 */
final class ProposalTimes {
    static final int VIEWS = 64;

    private record Waited(long sinceNanos, BlockVerdict.Waiting waitingFor) {
    }

    private final StageMetrics stages;
    private final Map<Long, Long> arrivedNanos = recent();
    private final Map<Long, Waited> deferredSince = recent();

    ProposalTimes(StageMetrics stages) {
        this.stages = stages;
    }

    private static <V> Map<Long, V> recent() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > VIEWS;
            }
        };
    }

    /** A proposal for {@code view} arrived now (the first one counts). */
    void arrived(long view) {
        arrivedNanos.putIfAbsent(view, System.nanoTime());
    }

    /** When this view's proposal arrived ({@link System#nanoTime}), or 0 if none did recently. */
    long arrivedNanos(long view) {
        return arrivedNanos.getOrDefault(view, 0L);
    }

    /** The pipeline's verdict on the block of {@code view}: a deferral starts a wait, any other verdict ends it. */
    void verdict(long view, BlockVerdict verdict) {
        if (verdict instanceof BlockVerdict.Defer d) {
            Waited before = deferredSince.get(view);
            deferredSince.put(view, new Waited(before == null ? System.nanoTime() : before.sinceNanos(), d.waitingFor()));
            return;
        }
        Waited w = deferredSince.remove(view);
        if (w != null) {
            StageMetrics.record(w.waitingFor() instanceof BlockVerdict.Waiting.L1Block ? stages.deferredL1Head
                    : stages.deferredAncestor, w.sinceNanos());
        }
    }
}
