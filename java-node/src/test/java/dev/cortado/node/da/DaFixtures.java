package dev.cortado.node.da;

import dev.cortado.node.da.vid.Vid;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class DaFixtures {
    static final long CHAIN_ID = 4242;

    private DaFixtures() {
    }

    static BlockPayload payload(long seed, int txCount) {
        Random rnd = new Random(seed);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < txCount; i++) {
            byte[] body = new byte[rnd.nextInt(300)];
            rnd.nextBytes(body);
            txs.add(new Transaction(NamespaceId.of(1 + rnd.nextInt(4)), body));
        }
        txs.add(new Transaction(NamespaceId.of(99), ("seed " + seed).getBytes(StandardCharsets.UTF_8)));
        return BlockPayload.build(txs);
    }

    static BlockHeader header(BlockPayload payload, Bytes32 vidRoot) {
        return new BlockHeader(Height.of(12), View.of(15), Bytes32.ZERO, 1_700_000_000_000L, 7, payload.payloadRoot(),
                vidRoot, payload.nsTableComm(), payload.byteLength(), Bytes32.ZERO);
    }

    static BlockHeader header(BlockPayload payload, int shareCount) {
        return header(payload, new Vid(shareCount).commit(payload.bytes()).vidRoot());
    }
}
