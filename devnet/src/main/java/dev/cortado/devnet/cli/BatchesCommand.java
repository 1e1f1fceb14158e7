package dev.cortado.devnet.cli;

import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.BeaconBlobSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortado batches}: rebuilds a namespace's transactions from L1 alone (BatchInbox events,
 * calldata, and blobs from the L1 node or, with {@code --beacon}, a beacon node) and verifies every batch against LightClient.sol on the same L1. Prints one line per
 * transaction ({@code height index 0xhex}) or writes them to {@code --out}.
 */
@Command(name = "batches", mixinStandardHelpOptions = true,
        description = "Rebuild and verify a namespace's transactions from the batches on L1.")
public final class BatchesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rpc", paramLabel = "URL", description = "L1 JSON-RPC URL")
    String rpc;

    @Option(names = "--inbox", paramLabel = "0xADDR", description = "BatchInbox address")
    String inbox;

    @Option(names = "--light-client", paramLabel = "0xADDR", description = "LightClient address on the same L1")
    String lightClient;

    @Option(names = "--namespace", paramLabel = "N", description = "the namespace to rebuild")
    Long namespace;

    @Option(names = "--from", defaultValue = "0", description = "first HotShot height (default 0)")
    long from;

    @Option(names = "--to", defaultValue = "9223372036854775806", description = "last HotShot height (default: all posted)")
    long to;

    @Option(names = "--beacon", paramLabel = "URL",
            description = "beacon API base URL to read blobs from (GET /eth/v1/beacon/blobs/{block_id}); default: the"
                    + " L1 node's anvil_getBlobByHash")
    String beacon;

    @Option(names = "--beacon-block-id", defaultValue = "slot",
            description = "how the beacon node names a block: slot (a real beacon node; from genesis_time and"
                    + " SECONDS_PER_SLOT) or l1_number (Anvil's beacon route); default slot")
    String beaconBlockId;

    @Option(names = "--out", paramLabel = "FILE", description = "write the transactions here instead of printing them")
    Path outFile;

    @Override
    public Integer call() {
        String rpcUrl = BatchCliInputs.httpUrl("--rpc", rpc).toString();
        String inboxAddress = BatchCliInputs.address("--inbox", inbox);
        String lc = BatchCliInputs.address("--light-client", lightClient);
        if (namespace == null || namespace < 0) throw new IllegalArgumentException("give --namespace N (N >= 0)");
        if (from < 0 || to < from) throw new IllegalArgumentException("--from and --to must satisfy 0 <= from <= to");
        URI beaconUrl = beacon == null ? null : BatchCliInputs.httpUrl("--beacon", beacon);
        BeaconBlobSource.BlockId blockId = switch (beaconBlockId.toLowerCase(java.util.Locale.ROOT)) {
            case "slot" -> BeaconBlobSource.BlockId.SLOT;
            case "l1_number", "l1-number" -> BeaconBlobSource.BlockId.L1_NUMBER;
            default -> throw new IllegalArgumentException("--beacon-block-id must be slot or l1_number, got '"
                    + beaconBlockId + "'");
        };
        try (BatchReader reader = new BatchReader(rpcUrl, inboxAddress, lc, 4, beaconUrl, blockId)) {
            BatchReader.History h = reader.rebuild(namespace, from, to);
            StringBuilder lines = new StringBuilder();
            for (BatchReader.Tx tx : h.transactions()) {
                lines.append(tx.height()).append(' ').append(tx.index()).append(" 0x")
                        .append(HexFormat.of().formatHex(tx.payload())).append('\n');
            }
            PrintWriter out = spec.commandLine().getOut();
            if (outFile != null) {
                try {
                    Files.writeString(outFile, lines, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + outFile, e);
                }
            } else {
                out.print(lines);
            }
            out.println("verified: namespace " + namespace + ", heights " + h.fromHeight() + ".." + h.toHeight() + ", "
                    + h.transactions().size() + " transactions from " + h.batchesRead() + " batches");
            out.flush();
            return 0;
        }
    }
}
