package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Deterministic simulation of {@code n} replicas on one virtual clock. The event queue is ordered by time,
 * then by a sequence number; the only randomness is one {@link Random} seeded with the seed, so a
 * (scenario, seed) pair always produces the same trace. The network delays, drops, duplicates and reorders
 * messages and may partition the replicas; all of that stops at {@code faultEndMs}, when crashed replicas
 * restart from their persisted state. Byzantine replicas keep misbehaving (there are at most f of them).
 */
public final class Simulation {
    /** Something the network carries: a core input, or a request for leaves answered by the peer's driver. */
    sealed interface Payload {
        record ToCore(Input input) implements Payload {
        }

        record LeafRequest(Bytes32 commitment) implements Payload {
        }
    }

    private sealed interface Event {
        record Deliver(int to, int from, Payload payload, int incarnation) implements Event {
        }

        record Crash(int node) implements Event {
        }

        record Restart(int node) implements Event {
        }

        record Spam(int node) implements Event {
        }

        record Heal() implements Event {
        }
    }

    /** What happened, summed over all replicas (to show the faults were exercised). */
    public record Stats(long decidedLeaves, long accepts, long ignores, long rejects, long defers, long evidence,
            long timeoutsFired, long maxViewsToRecover) {
        public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0);

        public Stats plus(Stats o) {
            return new Stats(decidedLeaves + o.decidedLeaves, accepts + o.accepts, ignores + o.ignores,
                    rejects + o.rejects, defers + o.defers, evidence + o.evidence, timeoutsFired + o.timeoutsFired,
                    Math.max(maxViewsToRecover, o.maxViewsToRecover));
        }
    }

    private record Scheduled(long atMs, long seq, Event event) {
    }

    public record Result(Scenario scenario, long seed, String failure, long traceHash, long minDecidedHeight,
            long maxView, long events, Stats stats, String diagnostics) {
        public boolean passed() {
            return failure == null;
        }

        public String replayArgument() {
            return scenario.name() + ":" + seed;
        }
    }

    static final long CHAIN_ID = 0xC0DAL;
    private static final long MAX_EVENTS = 4_000_000;
    private static final int DECISIONS_AFTER_HEAL = 5;

    private final Scenario scenario;
    private final long seed;
    private final Random random;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
    private final SimNode[] nodes;
    private final SafetyChecker safety;
    private final List<String> failures = new ArrayList<>();
    private final long faultEndMs;
    private final long baseDelayMs;
    private final long jitterMs;
    private final double dropProbability;
    private final double duplicateProbability;
    private final boolean[] partitionSide;
    private final long partitionStartMs;
    private final long partitionEndMs;
    private final long viewBound;
    private long seq;
    private long nowMs;
    private long traceHash = 17;
    private final long[] verdicts = new long[4];
    private long decidedLeaves;
    private long evidenceCount;
    private long timeoutsFired;
    private long events;
    private boolean healed;
    private long healView = -1;
    private long targetHeight = -1;

    public Simulation(Scenario scenario, long seed) {
        this(scenario, seed, KeySetup::simulated);
    }

    public Simulation(Scenario scenario, long seed, BiFunction<Integer, Long, KeySetup> keys) {
        this(scenario, seed, keys, false);
    }

    /** A fault-free network of {@code n} honest replicas (for benchmarks): no drops, partitions or crashes. */
    public static Simulation faultFree(int n, long seed) {
        return new Simulation(new Scenario(Scenario.Mix.NETWORK, n), seed, KeySetup::simulated, true);
    }

    private Simulation(Scenario scenario, long seed, BiFunction<Integer, Long, KeySetup> keys, boolean faultFree) {
        this.scenario = scenario;
        this.seed = seed;
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + scenario.name().hashCode());
        int n = scenario.n();
        int f = scenario.maxFaulty();
        Behaviour[] behaviours = assignBehaviours(n, f);
        faultEndMs = faultFree ? 0 : 3_000 + random.nextInt(12_000);
        baseDelayMs = 2 + random.nextInt(10);
        jitterMs = random.nextInt(80);
        dropProbability = faultFree || random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.15;
        duplicateProbability = faultFree ? 0 : random.nextDouble() * 0.05;
        partitionSide = new boolean[n];
        if (!faultFree && n > 1 && random.nextBoolean()) {
            partitionStartMs = random.nextInt((int) (faultEndMs / 2));
            partitionEndMs = partitionStartMs + random.nextInt((int) (faultEndMs - partitionStartMs));
            for (int i = 0; i < n; i++) {
                partitionSide[i] = random.nextBoolean();
            }
        } else {
            partitionStartMs = 0;
            partitionEndMs = 0;
        }
        viewBound = 3L * n + 30;
        KeySetup keySetup = keys.apply(n, seed);
        ConsensusConfig config = ConsensusConfig.defaults(CHAIN_ID, StakeWeights.equal(n, 32_000_000_000L))
                .withTimeouts(300, 5_000);
        Leaf genesis = Leaf.genesis(CHAIN_ID);
        safety = new SafetyChecker(genesis);
        nodes = new SimNode[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = new SimNode(this, i, behaviours[i], config, keySetup.crypto(), keySetup.signerFor(i), genesis);
            if (behaviours[i] != Behaviour.HONEST && behaviours[i] != Behaviour.CRASH) {
                continue;
            }
            safety.start(i, genesis);
            if (behaviours[i] == Behaviour.CRASH) {
                schedule(random.nextInt((int) faultEndMs), new Event.Crash(i));
                schedule(faultEndMs + random.nextInt(500), new Event.Restart(i));
            }
        }
        for (int i = 0; i < n; i++) {
            if (behaviours[i] == Behaviour.FUTURE_SPAM) {
                schedule(100 + random.nextInt(100), new Event.Spam(i));
            }
        }
        schedule(faultEndMs, new Event.Heal());
    }

    private Behaviour[] assignBehaviours(int n, int f) {
        Behaviour[] behaviours = new Behaviour[n];
        java.util.Arrays.fill(behaviours, Behaviour.HONEST);
        if (scenario.mix() == Scenario.Mix.NETWORK || f == 0) {
            return behaviours;
        }
        int faulty = random.nextInt(3) == 0 ? 1 + random.nextInt(f) : f;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        Behaviour[] kinds = Behaviour.values();
        for (int k = 0; k < faulty; k++) {
            behaviours[order.get(k)] = switch (scenario.mix()) {
                case MIXED -> kinds[1 + random.nextInt(kinds.length - 1)];
                case NETWORK -> Behaviour.HONEST;
                default -> Behaviour.valueOf(scenario.mix().name());
            };
        }
        return behaviours;
    }

    public Result run() {
        for (SimNode node : nodes) {
            node.start();
        }
        while (failures.isEmpty() && !queue.isEmpty()) {
            Scheduled next = queue.poll();
            nowMs = next.atMs();
            events++;
            process(next.event());
            if (healed && livenessReached()) {
                break;
            }
            if (healed && maxHonestView() > healView + viewBound) {
                failures.add("liveness: no " + DECISIONS_AFTER_HEAL + " decisions at every honest replica within "
                        + viewBound + " views after faults stopped at view " + healView + " (heights "
                        + heights() + ", target " + targetHeight + ")");
            }
            if (events > MAX_EVENTS) {
                failures.add("liveness: event budget exhausted at " + nowMs + " ms, heights " + heights());
            }
        }
        failures.addAll(safety.violations());
        if (failures.isEmpty() && !livenessReached()) {
            failures.add("liveness: simulation ran dry at " + nowMs + " ms, heights " + heights());
        }
        long minHeight = Long.MAX_VALUE;
        for (SimNode node : nodes) {
            if (node.isHonest()) {
                minHeight = Math.min(minHeight, safety.decidedHeight(node.index()));
            }
        }
        return new Result(scenario, seed, failures.isEmpty() ? null : failures.get(0), traceHash, minHeight,
                maxHonestView(), events, new Stats(decidedLeaves, verdicts[0], verdicts[1], verdicts[2], verdicts[3],
                        evidenceCount, timeoutsFired, Math.max(0, maxHonestView() - healView)),
                failures.isEmpty() ? "" : diagnostics());
    }

    /** Runs until an honest replica reaches {@code views}; returns the simulated views completed. */
    public long runViews(long views) {
        for (SimNode node : nodes) {
            node.start();
        }
        while (failures.isEmpty() && !queue.isEmpty() && maxHonestView() < views) {
            Scheduled next = queue.poll();
            nowMs = next.atMs();
            events++;
            process(next.event());
        }
        failures.addAll(safety.violations());
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0));
        }
        return maxHonestView();
    }

    private void process(Event event) {
        switch (event) {
            case Event.Deliver d -> {
                SimNode node = nodes[d.to()];
                if (node.isUp() && (d.incarnation() < 0 || d.incarnation() == node.incarnation())) {
                    trace(d.to(), d.from(), d.payload());
                    node.deliver(d.from(), d.payload());
                }
            }
            case Event.Crash c -> nodes[c.node()].crash();
            case Event.Restart r -> nodes[r.node()].restart();
            case Event.Spam s -> {
                nodes[s.node()].spam();
                schedule(nowMs + 150, s);
            }
            case Event.Heal h -> {
                healed = true;
                healView = maxHonestView();
                long max = 0;
                for (SimNode node : nodes) {
                    if (node.isHonest()) {
                        max = Math.max(max, safety.decidedHeight(node.index()));
                    }
                }
                targetHeight = max + DECISIONS_AFTER_HEAL;
            }
        }
    }

    private boolean livenessReached() {
        for (SimNode node : nodes) {
            if (node.isHonest() && safety.decidedHeight(node.index()) < targetHeight) {
                return false;
            }
        }
        return true;
    }

    private long maxHonestView() {
        long max = 0;
        for (SimNode node : nodes) {
            if (node.isHonest() && node.isUp()) {
                max = Math.max(max, node.currentView().value());
            }
        }
        return max;
    }

    /** Each replica's state and its last recorded transitions: what to read when a seed fails. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (SimNode node : nodes) {
            sb.append("replica ").append(node.index()).append(' ').append(node.behaviour());
            if (!node.isUp()) {
                sb.append(" (down)\n");
                continue;
            }
            var core = node.core();
            sb.append(" view ").append(core.currentView().value()).append(" voted ")
                    .append(core.safetyState().highestVotedView().value()).append(" lock ")
                    .append(core.safetyState().lockedQc().view().value()).append(" highQc ")
                    .append(core.highQc().view().value()).append(" decided ").append(core.lastDecided().height().value())
                    .append("\n    ").append(core.pendingSummary()).append('\n');
            List<dev.cortado.node.consensus.ConsensusCore.Transition> log = core.recentTransitions();
            for (var t : log.subList(Math.max(0, log.size() - 12), log.size())) {
                sb.append("    ").append(t).append('\n');
            }
        }
        return sb.toString();
    }

    private String heights() {
        StringBuilder sb = new StringBuilder();
        for (SimNode node : nodes) {
            sb.append(node.isHonest() ? String.valueOf(safety.decidedHeight(node.index())) : "byz").append(' ');
        }
        return sb.toString().trim();
    }

    private void trace(int to, int from, Payload payload) {
        long code = switch (payload) {
            case Payload.LeafRequest r -> 1;
            case Payload.ToCore t -> switch (t.input()) {
                case Input.Start s -> 2;
                case Input.ProposalReceived p -> 3 + 16 * p.proposal().leaf().view().value();
                case Input.VoteReceived v -> 4 + 16 * v.vote().view().value();
                case Input.TimeoutVoteReceived v -> 5 + 16 * v.vote().view().value();
                case Input.Timeout t2 -> 6 + 16 * t2.view().value();
                case Input.BlockBuilt b -> 7 + 16 * b.view().value();
                case Input.DataAvailable d -> 8 + 16 * d.view().value();
                case Input.LeavesReceived l -> 9 + 16 * l.leaves().size();
            };
        };
        traceHash = mix(mix(mix(traceHash, nowMs), to * 1_000_003L + from), code);
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 31);
    }

    // ---------------------------------------------------------------- used by SimNode

    long nowMs() {
        return nowMs;
    }

    int size() {
        return nodes.length;
    }

    boolean isByzantine(int index) {
        return !nodes[index].isHonest();
    }

    void send(int from, int to, Payload payload) {
        if (from == to) {
            schedule(nowMs, new Event.Deliver(to, from, payload, nodes[to].incarnation()));
            return;
        }
        boolean faulty = !healed;
        if (faulty && nowMs >= partitionStartMs && nowMs < partitionEndMs && partitionSide[from] != partitionSide[to]) {
            return;
        }
        if (faulty && random.nextDouble() < dropProbability) {
            return;
        }
        schedule(nowMs + delay(), new Event.Deliver(to, from, payload, -1));
        if (faulty && random.nextDouble() < duplicateProbability) {
            schedule(nowMs + delay(), new Event.Deliver(to, from, payload, -1));
        }
    }

    void broadcast(int from, Payload payload) {
        for (int to = 0; to < nodes.length; to++) {
            if (to != from) {
                send(from, to, payload);
            }
        }
    }

    /** Local events of a replica (timers, built blocks) die with the incarnation that scheduled them. */
    void local(int node, long atMs, Input input) {
        schedule(atMs, new Event.Deliver(node, node, new Payload.ToCore(input), nodes[node].incarnation()));
    }

    void verdict(dev.cortado.node.consensus.Verdict verdict, String input) {
        verdicts[switch (verdict) {
            case dev.cortado.node.consensus.Verdict.Accept a -> 0;
            case dev.cortado.node.consensus.Verdict.Ignore i -> 1;
            case dev.cortado.node.consensus.Verdict.Reject r -> 2;
            case dev.cortado.node.consensus.Verdict.Defer d -> 3;
        }]++;
        if (input.equals("timer")) {
            timeoutsFired++;
        }
    }

    void evidence() {
        evidenceCount++;
    }

    void decided(int node, List<Leaf> leaves) {
        decidedLeaves += leaves.size();
        if (nodes[node].isHonest()) {
            safety.onDecide(node, leaves, nowMs);
        }
    }

    void fail(String failure) {
        failures.add(failure);
    }

    private long delay() {
        return baseDelayMs + (jitterMs == 0 ? 0 : random.nextInt((int) jitterMs + 1));
    }

    private void schedule(long atMs, Event event) {
        queue.add(new Scheduled(atMs, seq++, event));
    }
}
