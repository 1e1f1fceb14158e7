package dev.cortado.node.consensus.bench;

import dev.cortado.node.consensus.sim.Simulation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Simulator throughput: simulated views per second of wall time for a fault-free network of n replicas on
 * the simulated (MAC) crypto. Each operation is one view; an invocation simulates {@value #VIEWS} views from
 * genesis (every replica runs its core, the network delivers every message, the safety checker runs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatorThroughputBench {
    static final int VIEWS = 200;

    @Param({"4", "10"})
    public int n;

    private long seed;

    @Benchmark
    @OperationsPerInvocation(VIEWS)
    public long views() {
        return Simulation.faultFree(n, ++seed).runViews(VIEWS);
    }
}
