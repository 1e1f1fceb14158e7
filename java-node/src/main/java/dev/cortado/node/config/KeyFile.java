package dev.cortado.node.config;

import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSecretKey;
import dev.cortado.protocol.types.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A node's BLS key on disk, as TOML: {@code secret_key} and {@code public_key} in 0x-hex. Written
 * owner-read-only. The public key is re-derived on load and must match, catching edited files.
 */
public final class KeyFile {
    private KeyFile() {}

    public static void write(Path file, BlsKeyPair keys) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        String text = "# Cortado node BLS12-381 key (min-sig). Keep secret_key private.\n"
                + "secret_key = \"" + Hex.encode(keys.secretKey().toBytes()) + "\"\n"
                + "public_key = \"" + keys.publicKey().toHex() + "\"\n";
        Files.writeString(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system has no POSIX permissions; nothing more to do
        }
    }

    public static BlsKeyPair read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read key file: " + e.getMessage()));
        }
        JsonNode t;
        try {
            t = ConfigFields.parse(text);
        } catch (ConfigException syntax) {
            throw new ConfigException(List.of(file + ": " + syntax.getMessage()));
        }
        if (!t.path("secret_key").isString() || !t.path("public_key").isString()) {
            throw new ConfigException(List.of(file + ": expected secret_key and public_key strings"));
        }
        String secret = t.get("secret_key").stringValue();
        String pub = t.get("public_key").stringValue();
        try {
            BlsSecretKey sk = BlsSecretKey.fromBytes(Hex.decode(secret));
            BlsKeyPair pair = new BlsKeyPair(sk, sk.publicKey());
            if (!pair.publicKey().toHex().equalsIgnoreCase(pub)) {
                throw new ConfigException(List.of(file + ": public_key does not match secret_key"));
            }
            return pair;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(file + ": secret_key: " + e.getMessage()));
        }
    }
}
