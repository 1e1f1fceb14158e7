package dev.cortado.node.consensus.sim;

/**
 * Runs a sweep outside JUnit, printing each failing seed with its replay command:
 * {@code java -cp <test class path> dev.cortado.node.consensus.sim.SweepMain <seeds> [firstSeed]}.
 */
public final class SweepMain {
    private SweepMain() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long firstSeed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int failed = 0;
        for (int i = 0; i < seeds; i++) {
            Scenario scenario = Scenario.forSweepIndex(i);
            Simulation.Result r = new Simulation(scenario, firstSeed + i).run();
            if (!r.passed()) {
                failed++;
                System.out.println("FAIL " + r.replayArgument() + " " + r.failure() + "\n  replay: "
                        + SimulationSweepTest.REPLAY_HINT + r.replayArgument());
            }
        }
        System.out.println(seeds + " seeds, " + failed + " failed");
    }
}
