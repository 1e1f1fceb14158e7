package dev.cortado.settlement.auction.solver;

/** Computes an allocation for one window. Implementations are pure and deterministic. */
public sealed interface Solver permits ExactSolver, GreedySolver {
    Allocation solve(Instance instance);
}
