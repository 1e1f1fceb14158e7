package dev.cortado.node.consensus.sim;

/**
 * The liveness side of a {@link Simulation}: how far the honest replicas got, and the goal they must reach once the
 * faults stop ({@code DECISIONS_AFTER_HEAL} more decisions at every honest replica). Apart from the event loop because
 * it only reads the replicas and the safety checker and draws nothing, so moving it cannot change a trace.
 */
final class HonestProgress {
    static final int DECISIONS_AFTER_HEAL = 5;

    private final Replica[] nodes;
    private final SafetyChecker safety;
    private boolean quiet;
    private long healView = -1;
    private long targetHeight = -1;

    HonestProgress(Replica[] nodes, SafetyChecker safety) {
        this.nodes = nodes;
        this.safety = safety;
    }

    /** Faults stopped: the goal is fixed from the highest honest height now, and the view count starts. */
    void quiet() {
        quiet = true;
        healView = maxView();
        long max = 0;
        for (Replica node : nodes) {
            if (node.isHonest()) {
                max = Math.max(max, safety.decidedHeight(node.index()));
            }
        }
        targetHeight = max + DECISIONS_AFTER_HEAL;
    }

    boolean isQuiet() {
        return quiet;
    }

    long healView() {
        return healView;
    }

    long targetHeight() {
        return targetHeight;
    }

    boolean reached() {
        return minHeight() >= targetHeight;
    }

    long minHeight() {
        long min = Long.MAX_VALUE;
        for (Replica node : nodes) {
            if (node.isHonest()) {
                min = Math.min(min, safety.decidedHeight(node.index()));
            }
        }
        return min;
    }

    long maxView() {
        long max = 0;
        for (Replica node : nodes) {
            if (node.isHonest() && node.isUp()) {
                max = Math.max(max, node.currentView().value());
            }
        }
        return max;
    }

    /** Each replica's decided height ("byz" for the Byzantine ones), for failure messages. */
    String heights() {
        StringBuilder sb = new StringBuilder();
        for (Replica node : nodes) {
            sb.append(node.isHonest() ? String.valueOf(safety.decidedHeight(node.index())) : "byz").append(' ');
        }
        return sb.toString().trim();
    }
}
