package dev.cortado.devnet.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.cortado.protocol.archfixture.ForbiddenImport;
import org.junit.jupiter.api.Test;

/** Fails the build when a module's main code depends on a module it may not use. */
class ModuleBoundariesTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // In a reactor build the other modules arrive as jars; their test jars are not production.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.cortado");

    @Test
    void productionCodeKeepsTheModuleBoundaries() {
        assertFalse(PRODUCTION.isEmpty(), "no classes imported: the rules would check nothing");
        assertTrue(PRODUCTION.containPackage("dev.cortado.devnet.l1"), "devnet classes imported");
        assertTrue(PRODUCTION.containPackage("dev.cortado.contracts.generated"), "classes of other modules imported");
        assertFalse(PRODUCTION.containPackage("dev.cortado.protocol.archfixture"), "test classes are not production");
        StringBuilder violations = new StringBuilder();
        for (ArchRule rule : ModuleBoundaries.ALL) {
            EvaluationResult result = rule.allowEmptyShould(true).evaluate(PRODUCTION);
            if (result.hasViolation()) {
                violations.append(result.getFailureReport()).append('\n');
            }
        }
        assertTrue(violations.isEmpty(), violations.toString());
    }

    /** The rules are worth something only if they catch a violation; this fixture commits one. */
    @Test
    void aProtocolClassImportingTheNodeIsCaught() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ForbiddenImport.class);
        EvaluationResult result = ModuleBoundaries.PROTOCOL_IS_THE_BASE.evaluate(fixture);
        assertTrue(result.hasViolation(), "the protocol rule must reject a protocol class that uses devnet");
    }

    @Test
    void aSolverClassDoingFileIoIsCaught() {
        JavaClasses fixture = new ClassFileImporter()
                .importClasses(dev.cortado.settlement.auction.solver.archfixture.ImpureSolver.class);
        EvaluationResult result = ModuleBoundaries.AUCTION_SOLVER_IS_PURE.evaluate(fixture);
        assertTrue(result.hasViolation(), "the solver purity rule must reject a solver class that reads files");
    }
}
