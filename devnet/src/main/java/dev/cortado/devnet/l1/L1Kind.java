package dev.cortado.devnet.l1;

import java.util.Locale;

/** Which L1 node the devnet runs. Anvil is the default; Besu is used only when installed. */
public enum L1Kind {
    ANVIL,
    BESU;

    public static L1Kind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown L1 '" + text + "': expected anvil or besu");
        }
    }
}
