package dev.cortado.devnet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;

/** The L1 signing key of a command, from {@code --key} or {@code --key-file}, with one-line errors. */
final class CliKeys {
    private CliKeys() {
    }

    /**
     * @param whenMissing the error when neither option is given, naming what the key is for
     */
    static Credentials credentials(String key, Path keyFile, String whenMissing) {
        if (key != null && keyFile != null) {
            throw new IllegalArgumentException("give either --key or --key-file, not both");
        }
        String hex;
        String source;
        if (key != null) {
            hex = key.strip();
            source = "--key";
        } else if (keyFile != null) {
            try {
                hex = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --key-file " + keyFile + ": " + e.getMessage(), e);
            }
            source = "--key-file " + keyFile;
        } else {
            throw new IllegalArgumentException(whenMissing);
        }
        String digits = hex.regionMatches(true, 0, "0x", 0, 2) ? hex.substring(2) : hex;
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            // Never echo the key: it may be a real one with a typo.
            throw new IllegalArgumentException(source + " must hold a private key of 32 bytes as 64 hex digits (0x optional)");
        }
        if (digits.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException(source + " holds the zero key, which is not a valid private key");
        }
        return Credentials.create(digits);
    }
}
