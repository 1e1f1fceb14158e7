package dev.cortado.devnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input to bid, resolve and auction status is one line naming the problem, before any L1 call. */
class AuctionCliInputTest {
    private static final String KEY = "0x" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bid --state-dir STATE --rpc http://127.0.0.1:1 --marketplace 0x0000000000000000000000000000000000000001 --key KEY"
                + " --window 1 --bundle 0,300 --amount 5|cortado bid: --bundle: rollup index 300 is outside 0..255",
        "bid --state-dir STATE --rpc http://127.0.0.1:1 --marketplace 0x0000000000000000000000000000000000000001 --key KEY"
                + " --window 1 --bundle 1,1 --amount 5|cortado bid: --bundle names rollup 1 twice",
        "bid --rpc http://127.0.0.1:1 --key KEY --window 1 --bundle 0 --amount 5|cortado bid: missing --state-dir DIR"
                + " (where the bid's salt is kept)",
        "bid --state-dir STATE --window 1 --bundle 0 --amount lots|cortado bid: --amount must be an amount such as 1000,"
                + " 5gwei or 0.1eth (whole wei), got 'lots'",
        "bid --state-dir STATE --window 1 --bundle 0 --amount 0.5wei|cortado bid: --amount must be an amount such as 1000,"
                + " 5gwei or 0.1eth (whole wei), got '0.5wei'",
        "bid --state-dir STATE --window 1 --amount 5|cortado bid: a new bid needs --window, --bundle and --amount together",
        "bid --state-dir STATE --window 1 --bundle 0 --amount 5 --poll soon|cortado bid: --poll: 'soon' is not a duration:"
                + " write for example 500ms, 20s, 5m or 2h",
        "bid --state-dir STATE --window 1 --bundle 0 --amount 5 --rpc ftp://x --marketplace"
                + " 0x0000000000000000000000000000000000000001 --key KEY|cortado bid: --rpc must be an http(s) URL such as"
                + " http://127.0.0.1:8545, got 'ftp://x'",
        "bid --state-dir STATE --window 1 --bundle 0 --amount 5 --rpc http://127.0.0.1:1 --marketplace 0x12"
                + " --key KEY|cortado bid: --marketplace must be 0x followed by 40 hex digits, got '0x12'",
        "bid --state-dir STATE --window 1 --bundle 0 --amount 5 --rpc http://127.0.0.1:1 --marketplace"
                + " 0x0000000000000000000000000000000000000001 --key 0x1234|cortado bid: --key must hold a private key of 32 bytes"
                + " as 64 hex digits (0x optional)",
        "resolve --rpc http://127.0.0.1:1|cortado resolve: missing --marketplace address (or --deployment FILE)",
        "resolve --poll -1s --rpc http://127.0.0.1:1|cortado resolve: --poll: duration '-1s' must be positive",
        "auction status --marketplace 0x0000000000000000000000000000000000000001|cortado status: give --deployment FILE,"
                + " or --rpc URL and --marketplace 0xADDR",
        "auction register --namespace -3 --rpc http://127.0.0.1:1 --marketplace 0x0000000000000000000000000000000000000001"
                + " --key KEY|cortado register: --namespace must be a whole number >= 0, got '-3'",
        "auction register --namespace 7 --operator 0x12 --rpc http://127.0.0.1:1 --marketplace"
                + " 0x0000000000000000000000000000000000000001 --key KEY|cortado register: --operator: expected a non-zero"
                + " address (0x + 40 hex digits), got 0x12",
    })
    void badInputIsOneLine(String args, String expected, @TempDir Path tmp) {
        var cli = CortadoCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] argv = args.replace("KEY", KEY).replace("STATE", tmp.resolve("s").toString()).split(" ");
        assertEquals(1, cli.execute(argv), err.toString());
        String text = err.toString().strip();
        assertEquals(expected, text);
        assertFalse(text.contains("\n"), "one line: " + text);
    }
}
