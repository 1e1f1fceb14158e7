package dev.cortado.devnet.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.BatchInbox;
import dev.cortado.contracts.generated.LightClient;
import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.contracts.generated.StakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;

/**
 * Every custom error in the deployed contracts' ABIs (their own, their libraries' and
 * OpenZeppelin's) must be asserted by some test through {@code Chain.error("Name(types)", …)}, the
 * helper that compares the full revert data, selector and arguments. The list comes from the
 * generated wrappers, so a new error without a test fails this test by name.
 */
class ContractErrorCoverageTest {
    private static final List<Class<?>> CONTRACTS =
            List.of(LightClient.class, StakeTable.class, SequencingMarketplace.class, BatchInbox.class);

    static Set<String> abiErrors() {
        Set<String> errors = new TreeSet<>();
        for (Class<?> contract : CONTRACTS) {
            for (Field f : contract.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
                    try {
                        CustomError e = (CustomError) f.get(null);
                        String types = e.getParameters().stream().map(ContractErrorCoverageTest::typeName)
                                .collect(Collectors.joining(","));
                        errors.add(e.getName() + "(" + types + ")");
                    } catch (IllegalAccessException ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        }
        return errors;
    }

    /** The Solidity name of a parameter type: the wrappers use web3j's Uint64, Address, Bytes32, Bool… */
    private static String typeName(TypeReference<?> t) {
        try {
            return org.web3j.abi.datatypes.AbiTypes.getTypeAString(t.getClassType());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static String testSources() {
        Path root = Path.of("src/test/java");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyCustomErrorIsAssertedWithItsArgumentsBySomeTest() {
        Set<String> errors = abiErrors();
        assertTrue(errors.size() > 60, "the wrappers list too few errors: " + errors);
        String sources = testSources();
        Set<String> untested = new TreeSet<>();
        for (String sig : errors) {
            if (!Pattern.compile("error\\(\\s*\"" + Pattern.quote(sig) + "\"").matcher(sources).find()) {
                untested.add(sig);
            }
        }
        assertEquals(Set.of(), untested, "custom errors no test asserts with Chain.error(\"…\", args)");
    }
}
