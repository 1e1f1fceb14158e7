package dev.cortado.settlement.auction.solver.archfixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Breaks the solver purity rule on purpose (reads a file) so ModuleBoundariesTest can show the rule bites. */
public final class ImpureSolver {
    private ImpureSolver() {}

    public static String bidsFrom(Path file) throws IOException {
        return Files.readString(file);
    }
}
