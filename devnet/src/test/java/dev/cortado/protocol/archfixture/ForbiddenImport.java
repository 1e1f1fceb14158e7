package dev.cortado.protocol.archfixture;

import dev.cortado.devnet.l1.L1Kind;

/**
 * Test fixture only: a class that sits in a protocol package yet uses the devnet, which the module
 * rules forbid. {@code ModuleBoundariesTest} checks that the rules notice it.
 */
public final class ForbiddenImport {
    private ForbiddenImport() {}

    public static L1Kind forbidden() {
        return L1Kind.ANVIL;
    }
}
