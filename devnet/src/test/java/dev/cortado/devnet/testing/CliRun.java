package dev.cortado.devnet.testing;

import dev.cortado.devnet.cli.CortadoCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code cortado} command run in this JVM, as a user would type it: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cli = CortadoCli.newCommandLine();
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int code = cli.execute(args);
        return new CliRun(code, o.toString(), e.toString());
    }
}
