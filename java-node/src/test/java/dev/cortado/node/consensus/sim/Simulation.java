package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.RuleVariants;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.sim.EventQueue.Event;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic simulation of {@code n} replicas on one virtual clock. The event queue is ordered by time,
 * then by a sequence number; the only randomness is one {@link Random} seeded with the seed, so a
 * (scenario, seed) pair always produces the same trace. Until {@code faultEndMs} the network delays, drops,
 * duplicates and reorders messages and may partition the replicas; then it heals and an adversarial
 * scheduler picks every delay within the bound. Crashed replicas restart from their persisted state (and
 * may crash again after the heal). Byzantine replicas keep misbehaving (at most f of them). Block data
 * travels apart from the proposal and arrives after a DA delay, or never when its leader withholds it.
 */
public final class Simulation {
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

    /** {@code violations} are the checker's safety and data-availability findings (empty when safe). */
    public record Result(Scenario scenario, long seed, String failure, List<String> violations, long traceHash,
            long minDecidedHeight, long maxView, long events, Stats stats, String diagnostics) {
        public boolean passed() {
            return failure == null;
        }

        public String replayArgument() {
            return scenario.name() + ":" + seed;
        }
    }

    static final long CHAIN_ID = 0xC0DAL;
    private static final long TICK_MS = 150;

    private final Scenario scenario;
    private final long seed;
    private final Random random;
    private final EventQueue queue = new EventQueue();
    private final Replica[] nodes;
    private final SafetyChecker safety;
    private final List<String> failures = new ArrayList<>();
    private final FaultPlan plan;
    private final SimNetwork network;
    private final HonestProgress progress;
    private final long viewBound;
    /** A guard against runaway runs; messages per view grow with n squared, and so does the guard. */
    private final long maxEvents;
    private long nowMs;
    private long traceHash = 17;
    private final long[] verdicts = new long[4];
    private long decidedLeaves;
    private long evidenceCount;
    private long handoverProofs;
    private long timeoutsFired;
    private long events;
    /** The market world when blocks carry real content (null: the consensus-only simulation). */
    private final MarketSimulation market;

    public Simulation(Scenario scenario, long seed) {
        this(scenario, seed, KeySetup::simulated);
    }

    public Simulation(Scenario scenario, long seed, KeySetup.Factory keys) {
        this(scenario, seed, keys, false, RuleVariants.Variant.CORRECT, null);
    }

    /** The same run with every replica's core on {@code rules} (the mutation check breaks one rule). */
    public Simulation(Scenario scenario, long seed, RuleVariants.Variant rules) {
        this(scenario, seed, KeySetup::simulated, false, rules, null);
    }

    /** The same run with real blocks judged by the node's market rules ({@link MarketSimulation}). */
    Simulation(Scenario scenario, long seed, MarketSimulation market) {
        this(scenario, seed, KeySetup::simulated, false, RuleVariants.Variant.CORRECT, market);
    }

    /** A fault-free network of {@code n} honest replicas (for benchmarks): no drops, partitions or crashes. */
    public static Simulation faultFree(int n, long seed) {
        return new Simulation(new Scenario(Scenario.Mix.NETWORK, n), seed, KeySetup::simulated, true,
                RuleVariants.Variant.CORRECT, null);
    }

    private Simulation(Scenario scenario, long seed, KeySetup.Factory keys, boolean faultFree,
            RuleVariants.Variant rules, MarketSimulation market) {
        this.market = market;
        this.scenario = scenario;
        this.seed = seed;
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + scenario.name().hashCode());
        int n = scenario.n();
        Cast cast = Cast.draw(random, scenario, faultFree);
        plan = faultFree ? FaultPlan.faultFree(n) : FaultPlan.draw(random, cast.stakesGwei(), cast.sideB());
        network = new SimNetwork(plan, random, new Delays.Network() {
            @Override
            public int nextLeaderOf(int replica) {
                return nodes[replica].isUp() ? nodes[replica].core().leaderOf(nodes[replica].currentView().next()) : -1;
            }

            @Override
            public int leaderOf(int replica) {
                return nodes[replica].isUp() ? nodes[replica].core().leaderOf(nodes[replica].currentView()) : -1;
            }
        });
        viewBound = 3L * n + 30;
        maxEvents = Math.max(4_000_000L, 40_000L * n * n);
        KeySetup keySetup = keys.create(cast.stakesGwei(), seed);
        StakeWeights stakes = new StakeWeights(cast.stakesGwei());
        Epochs epochs = SimEpochs.forRun(scenario.mix(), seed, cast);
        ConsensusConfig config = ConsensusConfig.defaults(CHAIN_ID, stakes).withTimeouts(300, 5_000).withEpochs(epochs);
        Leaf genesis = Leaf.genesis(CHAIN_ID);
        Behaviour[] behaviours = market == null ? cast.behaviours() : market.recast(cast.behaviours());
        boolean[] honest = new boolean[n];
        for (int i = 0; i < n; i++) {
            honest[i] = behaviours[i] == Behaviour.HONEST || behaviours[i] == Behaviour.CRASH;
        }
        safety = new SafetyChecker(genesis, cast.stakesGwei(), honest);
        safety.expectHandovers(epochs);
        Coalition coalition = new Coalition();
        nodes = new Replica[n];
        progress = new HonestProgress(nodes, safety);
        long quietMs = plan.faultEndMs();
        for (int i = 0; i < n; i++) {
            Behaviour b = behaviours[i];
            nodes[i] = b == Behaviour.SPLIT_BRAIN
                    ? new SplitBrainReplica(this, i, cast.sideB(), config, keySetup.crypto(), keySetup.signerFor(i),
                            genesis, rules)
                    : b.isAdversary()
                            ? new ByzantineReplica(this, i, b, adversaryFor(b), config, keySetup.crypto(),
                                    keySetup.signerFor(i), genesis, coalition, rules)
                            : new SimNode(this, i, b, config, keySetup.crypto(), keySetup.signerFor(i), genesis,
                                    rules, null, plan.clockRates()[i], plan.clockOffsetsMs()[i]);
            if (honest[i]) {
                safety.start(i, genesis);
            } else {
                schedule(100 + random.nextInt(100), new Event.Tick(i));
            }
            if (b == Behaviour.CRASH) {
                quietMs = Math.max(quietMs, scheduleCrashes(i));
            }
        }
        schedule(plan.faultEndMs(), new Event.Heal());
        schedule(quietMs, new Event.Quiet());
    }

    private static Adversary adversaryFor(Behaviour b) {
        return switch (b) {
            case LOCK_FORGETTER -> new LockForgetter();
            case BRANCH_BACKER -> new BranchBacker();
            case QC_WITHHOLDER -> new QcWithholder();
            case FLOODER -> new Flooder();
            case DA_WITHHOLDER -> new DaWithholder();
            default -> throw new IllegalArgumentException(b + " is not an adversary");
        };
    }

    /** One crash in the fault phase, then up to two more after the heal; returns the last restart time. */
    private long scheduleCrashes(int node) {
        long restart = plan.faultEndMs() + random.nextInt(500);
        schedule(random.nextInt((int) plan.faultEndMs()), new Event.Crash(node));
        schedule(restart, new Event.Restart(node));
        for (int cycle = 1; cycle < plan.crashCycles(); cycle++) {
            long crash = restart + 500 + random.nextInt(2_500);
            restart = crash + 200 + random.nextInt(1_800);
            schedule(crash, new Event.Crash(node));
            schedule(restart, new Event.Restart(node));
        }
        return restart + 1;
    }

    public Result run() {
        for (Replica node : nodes) {
            node.start();
        }
        while (failures.isEmpty() && !safety.hasViolations() && !queue.isEmpty()) {
            step();
            if (progress.isQuiet() && progress.reached()) {
                break;
            }
            if (progress.isQuiet() && progress.maxView() > progress.healView() + viewBound) {
                failures.add("liveness: no " + HonestProgress.DECISIONS_AFTER_HEAL + " decisions at every honest replica"
                        + " within " + viewBound + " views after faults stopped at view " + progress.healView()
                        + " (heights " + progress.heights() + ", target " + progress.targetHeight() + ")");
            }
            if (events > maxEvents) {
                failures.add("liveness: event budget exhausted at " + nowMs + " ms, heights " + progress.heights());
            }
        }
        List<String> violations = safety.violations();
        List<String> all = new ArrayList<>(violations);
        all.addAll(failures);
        if (all.isEmpty() && !progress.reached()) {
            all.add("liveness: simulation ran dry at " + nowMs + " ms, heights " + progress.heights());
        }
        return new Result(scenario, seed, all.isEmpty() ? null : all.get(0), violations, traceHash,
                progress.minHeight(), progress.maxView(), events, new Stats(decidedLeaves, verdicts[0], verdicts[1],
                        verdicts[2], verdicts[3], evidenceCount, timeoutsFired,
                        Math.max(0, progress.maxView() - progress.healView())),
                all.isEmpty() ? "" : diagnostics());
    }

    /** Runs until an honest replica reaches {@code views}; returns the simulated views completed. */
    public long runViews(long views) {
        for (Replica node : nodes) {
            node.start();
        }
        while (failures.isEmpty() && !queue.isEmpty() && progress.maxView() < views) {
            step();
        }
        throwOnFailure();
        return progress.maxView();
    }

    /** Runs (faults, then the heal) until every honest replica decided {@code height}; fails on any violation. */
    public long runToHeight(long height) {
        for (Replica node : nodes) {
            node.start();
        }
        while (failures.isEmpty() && !safety.hasViolations() && !queue.isEmpty() && progress.minHeight() < height) {
            step();
        }
        throwOnFailure();
        if (progress.minHeight() < height) {
            throw new IllegalStateException("ran dry at height " + progress.minHeight() + "\n" + diagnostics());
        }
        return events;
    }

    private void throwOnFailure() {
        failures.addAll(safety.violations());
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0));
        }
    }

    private void step() {
        EventQueue.Scheduled next = queue.next();
        nowMs = next.atMs();
        events++;
        process(next.event());
    }

    private void process(Event event) {
        switch (event) {
            case Event.Deliver d -> {
                Replica node = nodes[d.to()];
                if (node.isUp() && (d.incarnation() < 0 || d.incarnation() == node.incarnation())) {
                    trace(d.to(), d.from(), d.payload());
                    node.deliver(d.from(), d.payload());
                }
            }
            case Event.Crash c -> ((SimNode) nodes[c.node()]).crash();
            case Event.Restart r -> ((SimNode) nodes[r.node()]).restart();
            case Event.Tick t -> {
                nodes[t.node()].tick();
                schedule(nowMs + TICK_MS, t);
            }
            case Event.Heal h -> {
                network.heal();
                for (Replica node : nodes) {
                    node.healed();
                }
            }
            case Event.Quiet q -> progress.quiet();
            case Event.Callback c -> c.action().run();
        }
    }

    /** Distinct heights decided whose leaf handed over to a new epoch's table (runs with epochs only). */
    public long handoversDecided() {
        return safety.handoversDecided();
    }

    /** Each replica's state and its last recorded transitions: what to read when a seed fails. */
    public String diagnostics() {
        return Diagnostics.of(nodes);
    }

    private void trace(int to, int from, Payload payload) {
        traceHash = Diagnostics.mix(Diagnostics.mix(Diagnostics.mix(traceHash, nowMs), to * 1_000_003L + from),
                Diagnostics.code(payload));
    }

    // ---------------------------------------------------------------- used by the replicas

    long nowMs() {
        return nowMs;
    }

    MarketSimulation market() {
        return market;
    }

    Random random() {
        return random;
    }

    int size() {
        return nodes.length;
    }

    boolean isByzantine(int index) {
        return !nodes[index].isHonest();
    }

    boolean isSplitBrain(int index) {
        return nodes[index] instanceof SplitBrainReplica;
    }

    void send(int from, int to, Payload payload) {
        if (from == to) {
            schedule(nowMs, new Event.Deliver(to, from, payload, nodes[to].incarnation()));
            return;
        }
        for (long delayMs : network.copiesDelayMs(nowMs, from, to, payload, isSplitBrain(from) || isSplitBrain(to))) {
            schedule(nowMs + delayMs, new Event.Deliver(to, from, payload, -1));
        }
    }

    /** The DA layer carries {@code leaf}'s block data from its proposer to {@code to}: the share, then the certificate. */
    void disperse(int from, int to, Leaf leaf) {
        send(from, to, new Payload.Data(leaf.view(), leaf.blockCommitment()));
        send(from, to, SimDaCommittee.certificate(leaf));
    }

    /** How long the committee takes to certify a block in this run. */
    long daDelayMs() {
        return plan.daDelayMs();
    }

    /** Local events of a replica (timers, built blocks) die with the incarnation that scheduled them. */
    void local(int node, long atMs, Input input) {
        local(node, atMs, new Payload.ToCore(input));
    }

    void local(int node, long atMs, Payload payload) {
        schedule(atMs, new Event.Deliver(node, node, payload, nodes[node].incarnation()));
    }

    void callback(long atMs, Runnable action) {
        schedule(atMs, new Event.Callback(action));
    }

    void dataAvailable(int node, Bytes32 blockCommitment) {
        safety.onDataAvailable(node, blockCommitment);
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

    void handoverProofSent() {
        handoverProofs++;
    }

    /** Handover proofs broadcast (one per replica per handover it decided with the handover QC at hand). */
    public long handoverProofsSent() {
        return handoverProofs;
    }

    void decided(int node, List<Leaf> leaves, QuorumCertificate commitQc) {
        decidedLeaves += leaves.size();
        if (nodes[node].isHonest()) {
            safety.onDecide(node, leaves, nowMs);
            safety.onCommitQc(node, commitQc, nowMs);
        }
    }

    void fail(String failure) {
        failures.add(failure);
    }

    private void schedule(long atMs, Event event) {
        queue.schedule(atMs, event);
    }
}
