package dev.cortado.devnet.settlement;

import static dev.cortado.devnet.settlement.BatchPosterTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.settlement.BatchPosterTest.Cli;
import org.junit.jupiter.api.Test;

/** {@code cortado post-batches} and {@code cortado batches}: every bad input is one clear line and exit code 1. */
class BatchCommandsInputTest {
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    /** Anvil's dev account 1; only parsed here, never used to sign. */
    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @Test
    void badCommandLinesAreOneClearLine() {
        Cli rpc = cli("post-batches", "--rpc", "ftp://x", "--inbox", ZERO, "--light-client", ZERO, "--node", "http://127.0.0.1:1");
        assertEquals(1, rpc.code());
        assertTrue(rpc.err().startsWith("cortado post-batches: --rpc must be an http(s) URL"), rpc.err());
        Cli inbox = cli("post-batches", "--rpc", "http://127.0.0.1:1", "--inbox", "0x12", "--light-client", ZERO);
        assertTrue(inbox.err().startsWith("cortado post-batches: --inbox must be 0x followed by 40 hex digits, got '0x12'"),
                inbox.err());
        Cli nodes = cli("post-batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO);
        assertTrue(nodes.err().startsWith("cortado post-batches: give at least one --node URL"), nodes.err());
        Cli ns = cli("batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO);
        assertEquals(1, ns.code());
        assertTrue(ns.err().startsWith("cortado batches: give --namespace N"), ns.err());
        Cli range = cli("batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--namespace", "1",
                "--from", "5", "--to", "4");
        assertTrue(range.err().startsWith("cortado batches: --from and --to must satisfy"), range.err());
        Cli beacon = cli("batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--namespace", "1",
                "--beacon", "ftp://x");
        assertTrue(beacon.err().startsWith("cortado batches: --beacon must be an http(s) URL"), beacon.err());
        Cli blockId = cli("batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--namespace",
                "1", "--beacon", "http://127.0.0.1:1", "--beacon-block-id", "epoch");
        assertTrue(blockId.err().startsWith("cortado batches: --beacon-block-id must be slot or l1_number, got 'epoch'"),
                blockId.err());
        Cli blobs = cli("post-batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--node",
                "http://127.0.0.1:1", "--key", KEY, "--target-blobs", "2");
        assertEquals(1, blobs.code());
        assertTrue(blobs.err().contains("targetBlobs > 1 needs the blobs carrier"), blobs.err());
        Cli calldataBlobs = cli("post-batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--node",
                "http://127.0.0.1:1", "--key", KEY, "--namespace", "10001", "--carrier", "calldata", "--target-blobs", "1");
        assertEquals(1, calldataBlobs.code());
        assertTrue(calldataBlobs.err().startsWith("cortado post-batches: --target-blobs 1 sizes blob batches; with --carrier"
                + " calldata a batch closes at --target-bytes"), calldataBlobs.err());
        Cli carrier = cli("post-batches", "--rpc", "http://127.0.0.1:1", "--inbox", ZERO, "--light-client", ZERO, "--node",
                "http://127.0.0.1:1", "--key", KEY, "--carrier", "calldata-forever");
        assertEquals(2, carrier.code(), carrier.err());
        assertTrue(carrier.err().contains("calldata-forever"), carrier.err());
    }

}
