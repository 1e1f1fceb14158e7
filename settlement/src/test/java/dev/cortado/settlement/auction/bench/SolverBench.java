package dev.cortado.settlement.auction.bench;

import dev.cortado.settlement.auction.solver.Allocation;
import dev.cortado.settlement.auction.solver.ExactSolver;
import dev.cortado.settlement.auction.solver.GreedySolver;
import dev.cortado.settlement.auction.solver.Instance;
import dev.cortado.settlement.auction.solver.RandomInstances;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Solving one window of 50 bids over 16 rollups (bundles of 1..maxBundle rollups), exact and greedy. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SolverBench {
    @Param({"50"})
    public int bids;

    @Param({"16"})
    public int rollups;

    @Param({"2", "4", "8"})
    public int maxBundle;

    private Instance instance;
    private final ExactSolver exact = new ExactSolver();
    private final GreedySolver greedy = new GreedySolver();

    @Setup
    public void setUp() {
        instance = RandomInstances.generate(new Random(42), bids, rollups, maxBundle, true);
    }

    @Benchmark
    public Allocation exact() {
        return exact.solve(instance);
    }

    @Benchmark
    public Allocation greedy() {
        return greedy.solve(instance);
    }
}
