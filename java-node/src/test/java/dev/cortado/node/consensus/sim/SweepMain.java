package dev.cortado.node.consensus.sim;

/**
 * Runs a sweep outside JUnit, printing each failing seed with its replay command:
 * {@code java -cp <test class path> dev.cortado.node.consensus.sim.SweepMain <seeds> [firstSeed] [shards shard]}.
 * Sweep index i runs seed {@code firstSeed + i} on {@code Scenario.forSweepIndex(i)}, exactly as
 * {@code SimulationSweepTest}; with {@code shards shard} this process runs only the indexes with
 * {@code i % shards == shard}, so several processes split one sweep without changing a single pair.
 * {@code -Dsim.fromIndex=K} skips the indexes below K: a sweep cut short resumes with the same pairs.
 */
public final class SweepMain {
    private SweepMain() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long firstSeed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int shards = args.length > 3 ? Integer.parseInt(args[2]) : 1;
        int shard = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("need 0 <= shard < shards, got " + shard + " of " + shards);
        }
        int fromIndex = Integer.getInteger("sim.fromIndex", 0);
        long started = System.nanoTime();
        int failed = 0;
        int run = 0;
        int first = shard + Math.max(0, (fromIndex - shard + shards - 1) / shards) * shards;
        for (int i = first; i < seeds; i += shards) {
            Scenario scenario = Scenario.forSweepIndex(i);
            Simulation.Result r = new Simulation(scenario, firstSeed + i).run();
            run++;
            if (run % 1_000 == 0) {
                System.out.printf("%d seeds run (up to index %d), %d failed so far, %.0f s%n", run, i, failed,
                        (System.nanoTime() - started) / 1e9);
            }
            if (!r.passed()) {
                failed++;
                System.out.println("FAIL " + r.replayArgument() + " " + r.failure() + "\n  replay: "
                        + SimulationSweepTest.REPLAY_HINT + r.replayArgument());
            }
        }
        System.out.printf("%d seeds (shard %d of %d), %d failed, %.0f s wall%n", run, shard, shards, failed,
                (System.nanoTime() - started) / 1e9);
    }
}
