package dev.cortado.protocol.block;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.List;

final class BlockFixtures {
    static final long CHAIN_ID = 31337;
    static final NamespaceId NS_A = NamespaceId.of(7);
    static final NamespaceId NS_B = NamespaceId.of(42);
    static final NamespaceId NS_C = NamespaceId.of(1000);

    private BlockFixtures() {
    }

    static Transaction tx(NamespaceId ns, String text) {
        return new Transaction(ns, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Submission order interleaves namespaces on purpose. */
    static List<Transaction> sampleTransactions() {
        return List.of(tx(NS_B, "b1"), tx(NS_A, "a1"), tx(NS_C, ""), tx(NS_A, "a2"), tx(NS_B, "b2"), tx(NS_A, "a3"));
    }

    static BlockHeader header(long height, BlockPayload payload, Bytes32 blockCommRoot) {
        return new BlockHeader(Height.of(height), View.of(height + 3), Bytes32.ZERO, 1_700_000_000_000L + height, 99,
                payload.payloadRoot(), Bytes32.fromHex("0x" + "ab".repeat(32)), payload.nsTableComm(), payload.byteLength(),
                blockCommRoot);
    }
}
