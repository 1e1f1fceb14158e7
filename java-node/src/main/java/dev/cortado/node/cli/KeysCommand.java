package dev.cortado.node.cli;

import dev.cortado.node.config.KeyFile;
import dev.cortado.protocol.crypto.BlsKeyPair;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortado keys generate}: a fresh BLS key pair from the system's secure random source. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage node BLS keys.",
        subcommands = {KeysCommand.Generate.class})
public final class KeysCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a BLS12-381 key pair, write it to a key file and print the public key.")
    public static final class Generate implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = {"-o", "--out"}, required = true, description = "Key file to create (refuses to overwrite).")
        Path out;

        @Override
        public Integer call() throws Exception {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter stderr = spec.commandLine().getErr();
            byte[] seed = new byte[32];
            SecureRandom.getInstanceStrong().nextBytes(seed);
            BlsKeyPair keys = BlsKeyPair.fromSeed(seed);
            java.util.Arrays.fill(seed, (byte) 0);
            try {
                KeyFile.write(out, keys);
            } catch (FileAlreadyExistsException e) {
                stderr.println("key file " + out + " already exists; not overwriting");
                return 1;
            }
            stdout.println(keys.publicKey().toHex());
            stdout.flush();
            return 0;
        }
    }
}
